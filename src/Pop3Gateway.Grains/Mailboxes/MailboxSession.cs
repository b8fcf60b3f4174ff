using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Mailboxes;

/// <summary>
/// The POP3 session that holds a mailbox's lease; the front-end keeps its delete marks and sends
/// them with QUIT. Deliveries only append and only the lease holder deletes, so the snapshot is
/// just "the first <see cref="Count"/> entries of the index" and costs nothing to take. Lives only
/// in memory: a lost session deletes nothing.
/// </summary>
internal sealed class MailboxSession(SessionLease lease, int count, long octets, DateTimeOffset expires)
{
    public SessionLease Lease { get; } = lease;

    /// <summary>Messages in the snapshot; message numbers run from 1 to this.</summary>
    public int Count { get; } = count;

    public long Octets { get; } = octets;

    public DateTimeOffset Expires { get; set; } = expires;

    public bool IsLive(DateTimeOffset now) => now < Expires;
}
