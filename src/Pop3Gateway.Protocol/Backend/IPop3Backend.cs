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

    /// <summary>
    /// The salt and iteration count for a SCRAM-SHA-256 exchange (RFC 5802 section 5.1). An unknown
    /// account gets plausible made-up ones, always the same, so the exchange reveals nothing.
    /// The step counts for the brute-force defence: a banned client gets <see cref="LoginFailure.Blocked"/>.
    /// </summary>
    Task<ScramParameters> GetScramParametersAsync(Pop3UserName user, CancellationToken cancellationToken);

    /// <summary>
    /// Checks a SCRAM-SHA-256 client proof over <paramref name="authMessage"/>, then opens the mailbox
    /// as <see cref="LoginAsync"/> does; a success carries the server signature.
    /// </summary>
    Task<LoginResult> LoginScramAsync(Pop3UserName user, string authMessage, byte[] clientProof, CancellationToken cancellationToken);
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
    /// <summary>Too many failed logins from this client: <c>[LOGIN-DELAY]</c>, and the connection is closed.</summary>
    Blocked,
    /// <summary>The account has as many sessions as allowed: <c>[SYS/TEMP]</c>, and the connection is closed.</summary>
    TooManySessions,
}

public sealed record LoginResult(LoginFailure Failure, IMaildrop? Maildrop)
{
    /// <summary>SCRAM only: the ServerSignature (RFC 5802 section 3) sent back to the client.</summary>
    public byte[]? ServerSignature { get; init; }

    public static LoginResult Success(IMaildrop maildrop) => new(LoginFailure.None, maildrop);
    public static LoginResult Fail(LoginFailure failure) => new(failure, null);
}

/// <summary>What the server tells a SCRAM client in its first message.</summary>
public sealed record ScramParameters(byte[] Salt, int Iterations)
{
    /// <summary>Set when the exchange must end at once (a banned client, the cluster unavailable); Salt and Iterations are then unused.</summary>
    public LoginFailure Failure { get; init; }

    public static ScramParameters Fail(LoginFailure failure) => new([], 0) { Failure = failure };
}
