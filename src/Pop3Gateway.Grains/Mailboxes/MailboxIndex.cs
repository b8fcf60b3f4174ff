using System.Collections.Immutable;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Grains.Mailboxes;

/// <summary>A new blob (segment or directory) to write before the header that names it.</summary>
internal sealed record BlobWrite(string Name, byte[] Content);

/// <summary>
/// A change of the index: the blobs to write first, the header to write then (the commit point),
/// and what becomes garbage once that header is durable. <see cref="Directory"/> and
/// <see cref="Segments"/> let the activation cache what it has just written.
/// </summary>
internal sealed record IndexChange(
    MailboxState Next,
    IReadOnlyList<BlobWrite> Writes,
    IReadOnlyList<string> Replaced,
    IReadOnlyList<MessageEntry> Removed,
    ImmutableArray<SegmentRef>? Directory = null,
    IReadOnlyDictionary<string, MessageEntry[]>? Segments = null)
{
    public static IndexChange HeaderOnly(MailboxState next) => new(next, [], [], []);
}

/// <summary>
/// The activation's view of the segmented mailbox index: finds message n without reading other
/// segments, loads the directory and segments on demand and caches them (they are immutable, so
/// the cache is never stale), and plans appends and deletions as copy-on-write changes of only the
/// touched segments plus a new directory.
/// </summary>
internal sealed partial class MailboxIndex(string mailbox, IMailboxSegmentStore store, TimeProvider timeProvider)
{
    private readonly Dictionary<string, MessageEntry[]> _cache = new(StringComparer.Ordinal);
    private MailboxState _header = new();
    private string? _directoryName;
    private ImmutableArray<SegmentRef> _directory = [];
    private int[] _starts = [];

    public MailboxState Header => _header;

    /// <summary>Makes <paramref name="header"/> the current index; a different directory is loaded when first needed.</summary>
    public void Use(MailboxState header)
    {
        _header = header;
        if (!string.Equals(header.Directory, _directoryName, StringComparison.Ordinal))
        {
            // Loaded again when first needed; cached segments stay valid (immutable, unique names).
            _directoryName = null;
            _directory = [];
            _starts = [];
        }
    }

    /// <summary>Entry <paramref name="number"/> (1-based) of the index.</summary>
    public async Task<MessageEntry> GetAsync(int number, CancellationToken cancellationToken)
    {
        var index = number - 1;
        if (index >= SegmentEntries)
        {
            return Tail[index - SegmentEntries];
        }
        await EnsureDirectoryAsync(cancellationToken);
        var segment = FindSegment(index);
        var entries = await LoadAsync(_directory[segment], cancellationToken);
        return entries[index - _starts[segment]];
    }

    /// <summary>Calls <paramref name="visit"/> for entries 1 to <paramref name="count"/> in order, one segment read at a time.</summary>
    public Task VisitAsync(int count, Action<int, MessageEntry> visit, CancellationToken cancellationToken) =>
        VisitAsync(1, count, visit, cancellationToken);

    /// <summary>
    /// Calls <paramref name="visit"/> for entries <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> - 1
    /// (as far as the index goes) in order, reading only the segments that hold them.
    /// </summary>
    public async Task VisitAsync(int first, int count, Action<int, MessageEntry> visit, CancellationToken cancellationToken)
    {
        var number = Math.Max(1, first);
        var last = (long)first + count - 1;
        if (number <= SegmentEntries && count > 0)
        {
            await EnsureDirectoryAsync(cancellationToken);
            for (var segment = FindSegment(number - 1); segment < _directory.Length && number <= last; segment++)
            {
                var entries = await LoadAsync(_directory[segment], cancellationToken);
                for (var offset = number - 1 - _starts[segment]; offset < entries.Length && number <= last; offset++)
                {
                    visit(number++, entries[offset]);
                }
            }
        }
        for (var offset = number - 1 - SegmentEntries; offset < Tail.Length && number <= last; offset++)
        {
            visit(number++, Tail[offset]);
        }
    }

    /// <summary>Adds a delivery to the tail; a full tail is folded into the last segment (or a new one) and a new directory.</summary>
    public async Task<IndexChange> PlanAppendAsync(MessageEntry entry, CancellationToken cancellationToken)
    {
        var next = _header with
        {
            Tail = Tail.Add(entry),
            MessageCount = _header.MessageCount + 1,
            Octets = _header.Octets + entry.Size,
            NextSequence = _header.NextSequence + 1,
        };
        if (next.Tail.Length < MailboxIndexLimits.TailCapacity)
        {
            return IndexChange.HeaderOnly(next);
        }

        await EnsureDirectoryAsync(cancellationToken);
        var directory = _directory;
        var replaced = new List<string>();
        MessageEntry[] folded;
        if (directory.Length > 0 && directory[^1].Count + next.Tail.Length <= MailboxIndexLimits.SegmentCapacity)
        {
            var last = directory[^1];
            folded = [.. await LoadAsync(last, cancellationToken), .. next.Tail];
            replaced.Add(last.Name);
            directory = directory.RemoveAt(directory.Length - 1);
        }
        else
        {
            folded = [.. next.Tail];
        }
        var segment = NewSegment(folded);
        return WithDirectory(next with { Tail = [] }, directory.Add(segment.Ref), [segment.Write], replaced, [], new() { [segment.Ref.Name] = folded });
    }

    /// <summary>Removes entries (1-based numbers): new versions of the touched segments only; emptied segments leave the directory.</summary>
    public async Task<IndexChange> PlanDeleteAsync(IReadOnlyCollection<int> numbers, CancellationToken cancellationToken)
    {
        var removed = new List<MessageEntry>(numbers.Count);
        var tailDrops = numbers.Where(n => n - 1 >= SegmentEntries).Select(n => n - 1 - SegmentEntries).ToHashSet();
        var segmentNumbers = numbers.Where(n => n - 1 < SegmentEntries).ToList();
        removed.AddRange(tailDrops.Select(offset => Tail[offset]));
        var next = _header with { Tail = Tail.Where((_, offset) => !tailDrops.Contains(offset)).ToImmutableArray() };
        if (segmentNumbers.Count == 0)
        {
            return IndexChange.HeaderOnly(Shrink(next, removed)) with { Removed = removed };
        }

        await EnsureDirectoryAsync(cancellationToken);
        var bySegment = segmentNumbers.GroupBy(n => FindSegment(n - 1)).OrderByDescending(g => g.Key);
        var directory = _directory.ToBuilder();
        var writes = new List<BlobWrite>();
        var replaced = new List<string>();
        var fresh = new Dictionary<string, MessageEntry[]>(StringComparer.Ordinal);
        foreach (var group in bySegment)
        {
            var old = _directory[group.Key];
            var entries = await LoadAsync(old, cancellationToken);
            var drop = group.Select(n => n - 1 - _starts[group.Key]).ToHashSet();
            removed.AddRange(drop.Select(offset => entries[offset]));
            var kept = entries.Where((_, offset) => !drop.Contains(offset)).ToArray();
            replaced.Add(old.Name);
            if (kept.Length == 0)
            {
                directory.RemoveAt(group.Key);
                continue;
            }
            var segment = NewSegment(kept);
            writes.Add(segment.Write);
            fresh[segment.Ref.Name] = kept;
            directory[group.Key] = segment.Ref;
        }
        return WithDirectory(Shrink(next, removed), directory.ToImmutable(), writes, replaced, removed, fresh);
    }

    /// <summary>After the header of <paramref name="change"/> is durable: switch to it and keep what was written cached.</summary>
    public void Commit(IndexChange change)
    {
        Use(change.Next);
        if (change.Directory is { } directory)
        {
            SetDirectory(change.Next.Directory, directory);
        }
        foreach (var (name, entries) in change.Segments ?? new Dictionary<string, MessageEntry[]>())
        {
            _cache[name] = entries;
        }
    }

    /// <summary>Names of the directory and segments the current header refers to (for the sweep).</summary>
    public async Task<HashSet<string>> NamedBlobsAsync(CancellationToken cancellationToken)
    {
        var named = new HashSet<string>(StringComparer.Ordinal);
        if (_header.Directory is { } name)
        {
            await EnsureDirectoryAsync(cancellationToken);
            named.Add(name);
            named.UnionWith(_directory.Select(s => s.Name));
        }
        return named;
    }

    private int SegmentEntries => _header.MessageCount - Tail.Length;

    private ImmutableArray<MessageEntry> Tail => _header.Tail.IsDefault ? [] : _header.Tail;

    private static MailboxState Shrink(MailboxState next, List<MessageEntry> removed) => next with
    {
        MessageCount = next.MessageCount - removed.Count,
        Octets = next.Octets - removed.Sum(e => e.Size),
    };

    private IndexChange WithDirectory(
        MailboxState next, ImmutableArray<SegmentRef> directory, List<BlobWrite> writes, List<string> replaced,
        IReadOnlyList<MessageEntry> removed, Dictionary<string, MessageEntry[]> segments)
    {
        if (_header.Directory is { } oldDirectory)
        {
            replaced.Add(oldDirectory);
        }
        if (directory.IsEmpty)
        {
            return new IndexChange(next with { Directory = null }, writes, replaced, removed, directory, segments);
        }
        var name = BodyIds.NewId(timeProvider);
        writes.Add(new BlobWrite(name, SegmentCodec.EncodeDirectory(directory)));
        return new IndexChange(next with { Directory = name }, writes, replaced, removed, directory, segments);
    }

    private (SegmentRef Ref, BlobWrite Write) NewSegment(MessageEntry[] entries)
    {
        var segment = new SegmentRef(BodyIds.NewId(timeProvider), entries.Length, entries.Sum(e => e.Size));
        return (segment, new BlobWrite(segment.Name, SegmentCodec.Encode(entries)));
    }
}
