namespace Pop3Gateway.Abstractions;

/// <summary>Outcome of a mailbox-session operation.</summary>
public enum MailboxStatus
{
    Ok = 0,
    /// <summary>The message number is outside the session snapshot.</summary>
    NoSuchMessage = 1,
    /// <summary>The message is marked deleted in this session.</summary>
    MessageDeleted = 2,
    /// <summary>The session no longer holds the lease (expired, taken over, or never opened).</summary>
    SessionLost = 3,
    /// <summary>The mailbox does not exist.</summary>
    NoSuchMailbox = 4,
    /// <summary>The mailbox is locked by another live session.</summary>
    InUse = 5,
    /// <summary>Storage failed; nothing was changed. Retry later.</summary>
    StorageUnavailable = 6,
    /// <summary>The request can never succeed as given (bad size, bad or duplicate UIDL, body missing).</summary>
    InvalidRequest = 7,
    /// <summary>Accepting the delivery would exceed the mailbox quota.</summary>
    QuotaExceeded = 8,
    /// <summary>
    /// Storage failed while a change was being written and could not be read back: the change may
    /// or may not have been applied. Asking again with the same session id tells which.
    /// </summary>
    OutcomeUnknown = 9,
}

/// <summary>Who holds a mailbox session: shown by <c>pop3gw mailbox show</c>.</summary>
/// <param name="Holder">For display: the client address and the machine serving it.</param>
/// <param name="Frontend">The front-end serving the session; the lease dies with it. Null: only the session's own lease counts.</param>
[GenerateSerializer, Immutable]
public sealed record SessionLease(
    [property: Id(0)] Guid SessionId,
    [property: Id(1)] string Holder,
    [property: Id(2)] string? Frontend = null);

/// <summary>One message as the index knows it. <see cref="BodyId"/> names the body in the body store.</summary>
[GenerateSerializer, Immutable]
public sealed record MessageEntry(
    [property: Id(0)] string Uidl,
    [property: Id(1)] long Size,
    [property: Id(2)] string BodyId);

[GenerateSerializer, Immutable]
public sealed record CommitResult(
    [property: Id(0)] MailboxStatus Status,
    [property: Id(1)] int Deleted);

/// <summary>A body already written to the body store, to be added to the index.</summary>
/// <param name="DedupeKey">
/// Identifies a retried delivery (Message-ID and body digest); a key the mailbox saw within its
/// dedupe window is answered with the first delivery's UIDL and nothing is stored. Null: no dedupe.
/// </param>
[GenerateSerializer, Immutable]
public sealed record DeliveryRequest(
    [property: Id(0)] string BodyId,
    [property: Id(1)] long Size,
    [property: Id(2)] string? PreservedUidl,
    [property: Id(3)] string? DedupeKey = null);

/// <param name="Duplicate">
/// The request repeated an earlier delivery (same dedupe key): <see cref="Uidl"/> is the earlier
/// message's and the request's body is not referenced by the index.
/// </param>
[GenerateSerializer, Immutable]
public sealed record DeliveryResult(
    [property: Id(0)] MailboxStatus Status,
    [property: Id(1)] string? Uidl,
    [property: Id(2)] string? Error,
    [property: Id(3)] bool Duplicate = false);

[GenerateSerializer, Immutable]
public sealed record MailboxInfo(
    [property: Id(0)] bool Exists,
    [property: Id(1)] int MessageCount,
    [property: Id(2)] long Octets,
    [property: Id(3)] SessionLease? Lock,
    [property: Id(4)] DateTimeOffset? LockExpires);
