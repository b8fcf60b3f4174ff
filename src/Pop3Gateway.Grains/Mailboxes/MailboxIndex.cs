using System.Collections.Immutable;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Storage;
using Pop3Gateway.Storage.Index;

namespace Pop3Gateway.Grains.Mailboxes;

/// <summary>A new segment to write before the header that names it.</summary>
internal sealed record SegmentWrite(SegmentRef Segment, MessageEntry[] Entries, byte[] Content);

/// <summary>
/// A change of the index: the segments to write first, the header to write then (the commit
/// point), and what becomes garbage once that header is durable.
/// </summary>
internal sealed record IndexChange(
    MailboxState Next,
    IReadOnlyList<SegmentWrite> Writes,
    IReadOnlyList<string> Replaced,
    IReadOnlyList<MessageEntry> Removed);

/// <summary>
/// The activation's view of the segmented mailbox index: finds message n without reading other
/// segments, loads segments on demand and caches them (they are immutable, so the cache is never
/// stale), and plans appends and deletions as copy-on-write changes of only the touched segments.
/// </summary>
internal sealed class MailboxIndex(string mailbox, IMailboxSegmentStore store, TimeProvider timeProvider)
{
    public const int SegmentCapacity = MailboxIndexLimits.SegmentCapacity;

    public const int TailCapacity = MailboxIndexLimits.TailCapacity;

    private readonly Dictionary<string, MessageEntry[]> _cache = new(StringComparer.Ordinal);
    private MailboxState _header = new();
    private int[] _starts = [];
    private int _segmentEntries;

    public MailboxState Header => _header;

    /// <summary>Makes <paramref name="header"/> the current index and forgets segments it no longer names.</summary>
    public void Use(MailboxState header)
    {
        _header = header;
        var segments = header.Segments.IsDefault ? [] : header.Segments;
        _starts = new int[segments.Length];
        var total = 0;
        for (var i = 0; i < segments.Length; i++)
        {
            _starts[i] = total;
            total += segments[i].Count;
        }
        _segmentEntries = total;
        var named = segments.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in _cache.Keys.Where(name => !named.Contains(name)).ToList())
        {
            _cache.Remove(stale);
        }
    }

    /// <summary>Entry <paramref name="number"/> (1-based) of the index.</summary>
    public async Task<MessageEntry> GetAsync(int number, CancellationToken cancellationToken)
    {
        var index = number - 1;
        if (index >= _segmentEntries)
        {
            return Tail[index - _segmentEntries];
        }
        var segment = FindSegment(index);
        var entries = await LoadAsync(Segments[segment], cancellationToken);
        return entries[index - _starts[segment]];
    }

    /// <summary>Calls <paramref name="visit"/> for entries 1 to <paramref name="count"/> in order, one segment read at a time.</summary>
    public async Task VisitAsync(int count, Action<int, MessageEntry> visit, CancellationToken cancellationToken)
    {
        var number = 1;
        foreach (var segment in Segments)
        {
            if (number > count)
            {
                return;
            }
            foreach (var entry in await LoadAsync(segment, cancellationToken))
            {
                if (number > count)
                {
                    return;
                }
                visit(number++, entry);
            }
        }
        foreach (var entry in Tail)
        {
            if (number > count)
            {
                return;
            }
            visit(number++, entry);
        }
    }

    /// <summary>Adds a delivery to the tail; a full tail is folded into the last segment (or a new one).</summary>
    public async Task<IndexChange> PlanAppendAsync(MessageEntry entry, CancellationToken cancellationToken)
    {
        var next = _header with
        {
            Tail = Tail.Add(entry),
            MessageCount = _header.MessageCount + 1,
            Octets = _header.Octets + entry.Size,
            NextSequence = _header.NextSequence + 1,
        };
        if (next.Tail.Length < TailCapacity)
        {
            return new IndexChange(next, [], [], []);
        }

        var segments = Segments;
        if (segments.Length > 0 && segments[^1].Count + next.Tail.Length <= SegmentCapacity)
        {
            var last = segments[^1];
            var merged = (await LoadAsync(last, cancellationToken)).Concat(next.Tail).ToArray();
            var write = NewSegment(merged);
            return new IndexChange(
                next with { Segments = segments.SetItem(segments.Length - 1, write.Segment), Tail = [] },
                [write], [last.Name], []);
        }
        var fresh = NewSegment(next.Tail.ToArray());
        return new IndexChange(next with { Segments = segments.Add(fresh.Segment), Tail = [] }, [fresh], [], []);
    }

    /// <summary>Removes entries (1-based numbers): new versions of the touched segments only; emptied segments leave the directory.</summary>
    public async Task<IndexChange> PlanDeleteAsync(IReadOnlyCollection<int> numbers, CancellationToken cancellationToken)
    {
        var removed = new List<MessageEntry>(numbers.Count);
        var bySegment = new SortedDictionary<int, List<int>>();
        var tailDrops = new HashSet<int>();
        foreach (var number in numbers)
        {
            var index = number - 1;
            if (index >= _segmentEntries)
            {
                tailDrops.Add(index - _segmentEntries);
                continue;
            }
            var segment = FindSegment(index);
            if (!bySegment.TryGetValue(segment, out var offsets))
            {
                bySegment[segment] = offsets = [];
            }
            offsets.Add(index - _starts[segment]);
        }

        var segments = Segments.ToBuilder();
        var writes = new List<SegmentWrite>();
        var replaced = new List<string>();
        foreach (var (position, offsets) in bySegment.Reverse())
        {
            var old = Segments[position];
            var entries = await LoadAsync(old, cancellationToken);
            var drop = offsets.ToHashSet();
            removed.AddRange(drop.Select(offset => entries[offset]));
            var kept = entries.Where((_, offset) => !drop.Contains(offset)).ToArray();
            replaced.Add(old.Name);
            if (kept.Length == 0)
            {
                segments.RemoveAt(position);
                continue;
            }
            var write = NewSegment(kept);
            writes.Add(write);
            segments[position] = write.Segment;
        }
        removed.AddRange(tailDrops.Select(offset => Tail[offset]));
        var tail = Tail.Where((_, offset) => !tailDrops.Contains(offset)).ToImmutableArray();

        var next = _header with
        {
            Segments = segments.ToImmutable(),
            Tail = tail,
            MessageCount = _header.MessageCount - removed.Count,
            Octets = _header.Octets - removed.Sum(e => e.Size),
        };
        return new IndexChange(next, writes, replaced, removed);
    }

    /// <summary>Writes the new segments of a change; on failure removes the ones already written.</summary>
    public async Task WriteSegmentsAsync(IndexChange change, CancellationToken cancellationToken)
    {
        var written = new List<string>();
        try
        {
            foreach (var write in change.Writes)
            {
                await store.WriteAsync(mailbox, write.Segment.Name, write.Content, cancellationToken);
                written.Add(write.Segment.Name);
            }
        }
        catch
        {
            await DeleteSegmentsAsync(written);
            throw;
        }
    }

    /// <summary>After the header of <paramref name="change"/> is durable: switch to it and keep the new segments cached.</summary>
    public void Commit(IndexChange change)
    {
        foreach (var write in change.Writes)
        {
            _cache[write.Segment.Name] = write.Entries;
        }
        Use(change.Next);
    }

    /// <summary>Deletes segments the durable header no longer names. A failure leaves garbage for the sweep, never a loss.</summary>
    public async Task<int> DeleteSegmentsAsync(IEnumerable<string> names)
    {
        var deleted = 0;
        foreach (var name in names)
        {
            try
            {
                await store.DeleteAsync(mailbox, name, CancellationToken.None);
                deleted++;
            }
            catch (Exception e) when (e is StorageUnavailableException or IOException)
            {
                // Left for the sweep.
            }
        }
        return deleted;
    }

    public IAsyncEnumerable<StoredItem> ListStoredSegmentsAsync(CancellationToken cancellationToken) =>
        store.ListAsync(mailbox, cancellationToken);

    private ImmutableArray<SegmentRef> Segments => _header.Segments.IsDefault ? [] : _header.Segments;

    private ImmutableArray<MessageEntry> Tail => _header.Tail.IsDefault ? [] : _header.Tail;

    private SegmentWrite NewSegment(MessageEntry[] entries) => new(
        new SegmentRef(BodyIds.NewId(timeProvider), entries.Length, entries.Sum(e => e.Size)),
        entries,
        SegmentCodec.Encode(entries));

    private int FindSegment(int index)
    {
        var found = Array.BinarySearch(_starts, index);
        if (found < 0)
        {
            found = ~found - 1;
        }
        // Starts are strictly increasing: an emptied segment always leaves the directory.
        return found;
    }

    private async Task<MessageEntry[]> LoadAsync(SegmentRef segment, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(segment.Name, out var entries))
        {
            return entries;
        }
        var content = await store.ReadAsync(mailbox, segment.Name, cancellationToken);
        entries = SegmentCodec.Decode(content, segment.Name);
        if (entries.Length != segment.Count)
        {
            throw new InvalidDataException($"index segment '{segment.Name}' of '{mailbox}' holds {entries.Length} entries, the header says {segment.Count}");
        }
        _cache[segment.Name] = entries;
        return entries;
    }
}
