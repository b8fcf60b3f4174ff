using System.Collections.Immutable;
using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Mailboxes;

/// <summary>
/// Persisted header of <see cref="MailboxGrain"/>: the commit point of the mailbox index. It holds
/// the totals, the name of the segment directory (an immutable blob in the segment store that
/// lists the segments, each up to <see cref="MailboxIndexLimits.SegmentCapacity"/> entries) and a
/// short tail of the latest deliveries (up to <see cref="MailboxIndexLimits.TailCapacity"/>
/// entries), and the dedupe set of recent deliveries (<see cref="RecentDeliveries"/>, at most
/// 18 KB). The message order is: segments in directory order, then the tail. Its size does not
/// depend on the mailbox size, so a delivery writes a few tens of kilobytes at most, and login and
/// STAT read nothing else. Replaced as a whole, never mutated.
/// </summary>
[GenerateSerializer]
public sealed record MailboxState
{
    [Id(0)] public bool Exists { get; init; }

    // Id 1 is retired: it held the whole message list before the index was segmented.

    /// <summary>Number of deliveries ever made to this mailbox.</summary>
    [Id(2)] public long NextSequence { get; init; }

    [Id(3)] public int MessageCount { get; init; }

    [Id(4)] public long Octets { get; init; }

    /// <summary>Name of the segment directory in the segment store; null while every entry is in the tail.</summary>
    [Id(5)] public string? Directory { get; init; }

    [Id(6)] public ImmutableArray<MessageEntry> Tail { get; init; } = [];

    /// <summary>When the orphan sweep last completed.</summary>
    [Id(7)] public DateTimeOffset LastSweep { get; init; }

    /// <summary>
    /// Deliveries remembered for deduplication, oldest first, written with the delivery itself;
    /// bounded in age and count (<see cref="RecentDeliveries"/>).
    /// </summary>
    [Id(8)] public ImmutableArray<RecentDelivery> Recent { get; init; } = [];

    /// <summary>
    /// The session whose QUIT wrote this header's deletions, written in the same write. A front-end
    /// that lost the commit's reply (its silo died, storage timed out) asks again with the same
    /// session id and learns from this that the deletions were made.
    /// </summary>
    [Id(40)] public Guid LastCommitSession { get; init; }

    /// <summary>How many messages that commit deleted.</summary>
    [Id(41)] public int LastCommitDeleted { get; init; }
}
