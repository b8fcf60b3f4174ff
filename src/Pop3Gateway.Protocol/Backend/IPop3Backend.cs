using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.Backend;

/// <summary>What the POP3 session needs from the rest of the system to log a user in.</summary>
public interface IPop3Backend
{
    /// <summary>
    /// Checks the credentials of <paramref name="user"/>, then opens the mailbox it names
    /// (its own, or a granted one when <see cref="Pop3UserName.MailboxAlias"/> is set).
    /// </summary>
    Task<LoginResult> LoginAsync(Pop3UserName user, string password, CancellationToken cancellationToken);
}

public enum LoginFailure
{
    None = 0,
    /// <summary>Unknown account, wrong password, disabled account or a mailbox not granted: <c>[AUTH]</c>.</summary>
    Credentials,
    /// <summary>The mailbox is locked by another session: <c>[IN-USE]</c>.</summary>
    InUse,
    /// <summary>Storage or cluster unavailable: <c>[SYS/TEMP]</c>.</summary>
    Unavailable,
}

public sealed record LoginResult(LoginFailure Failure, IMaildrop? Maildrop)
{
    public static LoginResult Success(IMaildrop maildrop) => new(LoginFailure.None, maildrop);
    public static LoginResult Fail(LoginFailure failure) => new(failure, null);
}
