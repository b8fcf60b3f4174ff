using System.Collections.Immutable;
using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Mailboxes;

/// <summary>
/// Persisted header of <see cref="MailboxGrain"/>: the commit point of the mailbox index. It holds
/// the totals, a directory of immutable segments (each up to <see cref="MailboxIndexLimits.SegmentCapacity"/>
/// entries, stored in the segment store) and a short tail of the latest deliveries (up to
/// <see cref="MailboxIndexLimits.TailCapacity"/> entries). The message order is: segments in directory
/// order, then the tail. Its size depends on the number of segments, never on a segment's content,
/// so a delivery writes a few kilobytes whatever the mailbox size. Replaced as a whole, never mutated.
/// </summary>
[GenerateSerializer]
public sealed record MailboxState
{
    [Id(0)] public bool Exists { get; init; }

    // Id(1) held the whole message list before the index was segmented; it is not reused.

    /// <summary>Number of deliveries ever made to this mailbox.</summary>
    [Id(2)] public long NextSequence { get; init; }

    [Id(3)] public int MessageCount { get; init; }

    [Id(4)] public long Octets { get; init; }

    [Id(5)] public ImmutableArray<SegmentRef> Segments { get; init; } = [];

    [Id(6)] public ImmutableArray<MessageEntry> Tail { get; init; } = [];

    /// <summary>When the orphan sweep last completed.</summary>
    [Id(7)] public DateTimeOffset LastSweep { get; init; }
}

/// <summary>One immutable segment of the index: its name in the segment store, entry count and octets.</summary>
[GenerateSerializer, Immutable]
public sealed record SegmentRef(
    [property: Id(0)] string Name,
    [property: Id(1)] int Count,
    [property: Id(2)] long Octets);
