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

    /// <summary>All visible messages, or just <paramref name="messageNumber"/>.</summary>
    Task<MaildropResult<IReadOnlyList<MessageListing>>> ListAsync(int? messageNumber, CancellationToken cancellationToken);

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

/// <summary>
/// A message to send: its exact size (as LIST reports it) and how to open its bytes.
/// The stored bytes are already normalized (CRLF line ends, final CRLF).
/// </summary>
public sealed record MessageContent(long Size, Func<CancellationToken, Task<Stream>> OpenAsync);
