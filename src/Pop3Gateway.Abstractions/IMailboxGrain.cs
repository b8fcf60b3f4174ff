namespace Pop3Gateway.Abstractions;

/// <summary>
/// One mailbox (key: its normalized name). Serializes every access, holds the session
/// lease (the POP3 lock), the session snapshot and its delete marks, and commits the
/// marks in one ETag-guarded state write on QUIT. Never sees message bytes.
/// </summary>
[Alias("Pop3Gateway.IMailboxGrain")]
public interface IMailboxGrain : IGrainWithStringKey
{
    /// <summary>Creates the mailbox if it does not exist. Idempotent.</summary>
    [Alias("Create")] Task<MailboxStatus> Create();

    [Alias("Describe")] Task<MailboxInfo> Describe();

    /// <summary>The quota in force and the current use.</summary>
    [Alias("GetQuota")] Task<QuotaInfo> GetQuota();

    /// <summary>Sets this mailbox's own quota (null fields: configured default; 0: unlimited).</summary>
    [Alias("SetQuota")] Task<MailboxStatus> SetQuota(QuotaSetting setting);

    /// <summary>Adds a stored body to the index and assigns its UIDL.</summary>
    [Alias("Deliver")] Task<DeliveryResult> Deliver(DeliveryRequest request);

    /// <summary>Takes the lease and the snapshot for a new POP3 session.</summary>
    [Alias("Open")] Task<OpenResult> Open(SessionLease lease, LockPolicy policy);

    /// <summary>
    /// Takes the lease like <see cref="Open"/> and returns the whole snapshot, so that the session
    /// needs no further call until QUIT (<see cref="CommitMarks"/>) apart from lease renewals.
    /// </summary>
    [Alias("OpenSession")] Task<SessionSnapshot> OpenSession(SessionLease lease, LockPolicy policy);

    /// <summary>Extends the lease; answers <see cref="MailboxStatus.SessionLost"/> if it is gone.</summary>
    [Alias("Renew")] Task<MailboxStatus> Renew(Guid sessionId);

    [Alias("Stat")] Task<StatResult> Stat(Guid sessionId);

    /// <summary>All visible messages, or one when <paramref name="messageNumber"/> is given.</summary>
    [Alias("List")] Task<ListingResult> List(Guid sessionId, int? messageNumber);

    [Alias("Fetch")] Task<FetchResult> Fetch(Guid sessionId, int messageNumber);

    [Alias("MarkDeleted")] Task<MailboxStatus> MarkDeleted(Guid sessionId, int messageNumber);

    [Alias("ResetMarks")] Task<MailboxStatus> ResetMarks(Guid sessionId);

    /// <summary>QUIT in TRANSACTION: removes the marked messages durably, then releases the lease.</summary>
    [Alias("Commit")] Task<CommitResult> Commit(Guid sessionId);

    /// <summary>
    /// QUIT of a session that kept its delete marks itself: marks <paramref name="messageNumbers"/>
    /// (snapshot numbers) and commits as <see cref="Commit"/> does, only while the session holds the lease.
    /// </summary>
    [Alias("CommitMarks")] Task<CommitResult> CommitMarks(Guid sessionId, int[] messageNumbers);

    /// <summary>The session ended without QUIT: marks discarded, lease released.</summary>
    [Alias("Release")] Task Release(Guid sessionId);
}
