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
    /// <summary>The silo's password-hashing (or directory) wait line was full: nothing was checked or counted; <c>[SYS/TEMP]</c>.</summary>
    Busy = 4,
}

[GenerateSerializer, Immutable]
public sealed record AccountInfo(
    [property: Id(0)] string Login,
    [property: Id(1)] string Mailbox,
    [property: Id(2)] IReadOnlyList<string> GrantedMailboxes,
    [property: Id(3)] DateTimeOffset Created)
{
    [Id(10)] public IReadOnlyList<string> Addresses { get; init; } = [];
    [Id(11)] public bool Disabled { get; init; }
    /// <summary>The Dovecot scheme of an imported hash not yet replaced by a login; null once it is (or when there never was one).</summary>
    [Id(12)] public string? MigratedScheme { get; init; }
}

/// <summary>
/// One account for <c>pop3gw account import</c>: exactly one of <see cref="Password"/> (hashed
/// by the grain) and <see cref="PasswordHash"/> (already hashed, see <c>PasswordHashText</c>) is set.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ProvisionRequest(
    [property: Id(0)] string? Password,
    [property: Id(1)] string? PasswordHash,
    [property: Id(2)] IReadOnlyList<string> Addresses)
{
    /// <summary>The caller has already added the login to the account directory (bulk import does it in batches).</summary>
    [Id(3)] public bool AlreadyListed { get; init; }
}
