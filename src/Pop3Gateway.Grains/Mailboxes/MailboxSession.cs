using System.Collections.Immutable;
using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Mailboxes;

/// <summary>
/// The POP3 session that holds a mailbox's lease: its snapshot (message numbers are fixed for
/// the session) and its delete marks. Lives only in memory: a lost session deletes nothing.
/// </summary>
internal sealed class MailboxSession(SessionLease lease, ImmutableArray<MessageEntry> snapshot, DateTimeOffset expires)
{
    public SessionLease Lease { get; } = lease;

    public ImmutableArray<MessageEntry> Snapshot { get; } = snapshot;

    public HashSet<int> Marks { get; } = [];

    public DateTimeOffset Expires { get; set; } = expires;

    public bool IsLive(DateTimeOffset now) => now < Expires;

    public MailboxStatus Check(int number) =>
        number < 1 || number > Snapshot.Length ? MailboxStatus.NoSuchMessage
        : Marks.Contains(number) ? MailboxStatus.MessageDeleted
        : MailboxStatus.Ok;

    public MessageEntry this[int number] => Snapshot[number - 1];

    /// <summary>Count and size of the messages not marked deleted.</summary>
    public (int Count, long Octets) Visible()
    {
        var count = 0;
        var octets = 0L;
        for (var number = 1; number <= Snapshot.Length; number++)
        {
            if (!Marks.Contains(number))
            {
                count++;
                octets += Snapshot[number - 1].Size;
            }
        }
        return (count, octets);
    }
}
