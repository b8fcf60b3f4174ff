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

    /// <summary>
    /// Takes the lease (the POP3 lock) and returns the snapshot's totals and its first piece; a snapshot of
    /// one piece needs no further call until QUIT (<see cref="CommitMarks"/>) apart from lease renewals. A
    /// repeated call of the same session returns its snapshot again.
    /// </summary>
    [Alias("OpenSession")] Task<SessionSnapshot> OpenSession(SessionLease lease, LockPolicy policy);

    /// <summary>
    /// Entries <paramref name="firstMessage"/> onwards of the session's snapshot, at most
    /// <paramref name="maxMessages"/> and never more than <see cref="SessionSnapshot.PieceMessages"/>; only while
    /// the session holds the lease (<see cref="MailboxStatus.SessionLost"/> otherwise, and
    /// <see cref="MailboxStatus.NoSuchMessage"/> for a start outside the snapshot). Extends the lease.
    /// </summary>
    [Alias("ReadSnapshot")] Task<SnapshotPiece> ReadSnapshot(Guid sessionId, int firstMessage, int maxMessages);

    /// <summary>Extends the lease; answers <see cref="MailboxStatus.SessionLost"/> if it is gone.</summary>
    [Alias("Renew")] Task<MailboxStatus> Renew(Guid sessionId);

    /// <summary>
    /// QUIT in TRANSACTION: removes the messages <paramref name="marks"/> (snapshot numbers,
    /// the marks the session kept, one bit each) durably in one header write, then releases the lease. Only while
    /// the session holds the lease; asking again with the same session after a lost reply answers
    /// what the first call did.
    /// </summary>
    [Alias("CommitMarks")] Task<CommitResult> CommitMarks(Guid sessionId, MessageMarks marks);

    /// <summary>The session ended without QUIT: marks discarded, lease released.</summary>
    [Alias("Release")] Task Release(Guid sessionId);

    /// <summary>
    /// An operator ends the session holding the lease (<c>pop3gw kick</c>): its marks are discarded, nothing
    /// is deleted, and the next login gets the mailbox at once. Answers the lease that was held, null if none.
    /// </summary>
    [Alias("Kick")] Task<SessionLease?> Kick();
}
