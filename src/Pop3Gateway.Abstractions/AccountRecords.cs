namespace Pop3Gateway.Abstractions;

public enum AdminStatus
{
    Ok = 0,
    NoSuchAccount = 1,
    AlreadyExists = 2,
    NoSuchMailbox = 3,
    InvalidArgument = 4,
    StorageUnavailable = 5,
}

[GenerateSerializer, Immutable]
public sealed record AdminResult(
    [property: Id(0)] AdminStatus Status,
    [property: Id(1)] string? Error)
{
    public static readonly AdminResult Success = new(AdminStatus.Ok, null);
    public bool IsOk => Status == AdminStatus.Ok;
}

public enum AuthStatus
{
    Ok = 0,
    /// <summary>Unknown account or wrong password; the two are never told apart.</summary>
    Failed = 1,
    Disabled = 2,
    StorageUnavailable = 3,
}

[GenerateSerializer, Immutable]
public sealed record AuthResult(
    [property: Id(0)] AuthStatus Status,
    [property: Id(1)] string? Mailbox,
    [property: Id(2)] IReadOnlyList<string> GrantedMailboxes);

[GenerateSerializer, Immutable]
public sealed record AccountInfo(
    [property: Id(0)] string Login,
    [property: Id(1)] string Mailbox,
    [property: Id(2)] IReadOnlyList<string> GrantedMailboxes,
    [property: Id(3)] DateTimeOffset Created);
