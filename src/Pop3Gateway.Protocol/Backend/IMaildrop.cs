namespace Pop3Gateway.Protocol.Backend;

/// <summary>
/// An opened mailbox for one session: a snapshot with fixed message numbers (1-based)
/// and delete marks. Implemented by the front-end over the mailbox grain.
/// </summary>
public interface IMaildrop
{
    /// <summary>The mailbox's name, for logs.</summary>
    string Name { get; }

    Task<MaildropResult<MaildropStat>> StatAsync(CancellationToken cancellationToken);

    /// <summary>LIST n, UIDL n: one visible message.</summary>
    Task<MaildropResult<MessageListing>> ListAsync(int messageNumber, CancellationToken cancellationToken);

    /// <summary>
    /// LIST, UIDL: the visible messages' totals, and their listings read while the reply is written, so a
    /// mailbox of millions is listed with bounded memory. A listing that cannot go on (the session was lost
    /// while a further piece of it was read) throws <see cref="MaildropException"/> from the enumeration:
    /// its reply is already under way, so the host ends the connection; nothing is deleted.
    /// </summary>
    Task<MaildropResult<MaildropListing>> ListAllAsync(CancellationToken cancellationToken);

    Task<MaildropResult<MessageContent>> FetchAsync(int messageNumber, CancellationToken cancellationToken);

    Task<MaildropStatus> DeleteAsync(int messageNumber, CancellationToken cancellationToken);

    Task<MaildropStatus> ResetAsync(CancellationToken cancellationToken);

    /// <summary>NOOP: renews the session lease.</summary>
    Task<MaildropStatus> KeepAliveAsync(CancellationToken cancellationToken);

    /// <summary>QUIT: commits the delete marks durably and ends the session. Value = messages deleted.</summary>
    Task<MaildropResult<int>> CommitAsync(CancellationToken cancellationToken);

    /// <summary>The session ended without QUIT: nothing is deleted, the lock is released.</summary>
    Task ReleaseAsync();
}

public enum MaildropStatus
{
    Ok = 0,
    NoSuchMessage,
    MessageDeleted,
    /// <summary>The session lost its lock (expired, or taken over by a newer login).</summary>
    SessionLost,
    /// <summary>Storage or cluster unavailable; nothing changed.</summary>
    Unavailable,
    /// <summary>The commit was sent but its outcome could not be learned: the marked messages may or may not be gone.</summary>
    OutcomeUnknown,
}

public readonly record struct MaildropResult<T>(MaildropStatus Status, T? Value)
{
    public bool IsOk => Status == MaildropStatus.Ok;
    public static MaildropResult<T> Ok(T value) => new(MaildropStatus.Ok, value);
    public static MaildropResult<T> Fail(MaildropStatus status) => new(status, default);
}

public sealed record MaildropStat(int MessageCount, long Octets);

public sealed record MessageListing(int Number, long Size, string Uidl);

/// <summary>The visible messages: their count and octets (as STAT), and their listings in ascending order, read once.</summary>
public sealed record MaildropListing(int Count, long Octets, IAsyncEnumerable<MessageListing> Listings);

/// <summary>A listing under way could not go on; <see cref="Status"/> says why.</summary>
public sealed class MaildropException(MaildropStatus status)
    : Exception($"the mailbox listing could not go on: {status}")
{
    public MaildropStatus Status { get; } = status;
}

/// <summary>
/// A message to send: its exact size (as LIST reports it) and how to open its bytes.
/// The stored bytes are already normalized (CRLF line ends, final CRLF).
/// </summary>
public sealed record MessageContent(long Size, Func<CancellationToken, Task<Stream>> OpenAsync);
