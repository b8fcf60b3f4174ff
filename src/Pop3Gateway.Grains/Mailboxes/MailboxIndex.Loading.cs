using System.Collections.Immutable;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Grains.Mailboxes;

/// <summary>Reading and writing the blobs of the index: directory, segments, garbage.</summary>
internal sealed partial class MailboxIndex
{
    /// <summary>Writes the new blobs of a change; on failure removes the ones already written.</summary>
    public async Task WriteBlobsAsync(IndexChange change, CancellationToken cancellationToken)
    {
        var written = new List<string>();
        try
        {
            foreach (var write in change.Writes)
            {
                await store.WriteAsync(mailbox, write.Name, write.Content, cancellationToken);
                written.Add(write.Name);
            }
        }
        catch
        {
            await DeleteBlobsAsync(written);
            throw;
        }
    }

    /// <summary>Deletes blobs the durable header no longer names. A failure leaves garbage for the sweep, never a loss.</summary>
    public async Task<int> DeleteBlobsAsync(IEnumerable<string> names)
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

    public IAsyncEnumerable<StoredItem> ListStoredBlobsAsync(CancellationToken cancellationToken) =>
        store.ListAsync(mailbox, cancellationToken);

    private async Task EnsureDirectoryAsync(CancellationToken cancellationToken)
    {
        var name = _header.Directory;
        if (name is null || string.Equals(name, _directoryName, StringComparison.Ordinal))
        {
            return;
        }
        var content = await store.ReadAsync(mailbox, name, cancellationToken);
        var directory = SegmentCodec.DecodeDirectory(content, name).ToImmutableArray();
        var total = directory.Sum(s => s.Count);
        if (total != SegmentEntries)
        {
            throw new InvalidDataException($"index directory '{name}' of '{mailbox}' lists {total} entries, the header says {SegmentEntries}");
        }
        SetDirectory(name, directory);
    }

    private void SetDirectory(string? name, ImmutableArray<SegmentRef> directory)
    {
        _directoryName = name;
        _directory = directory;
        _starts = new int[directory.Length];
        var total = 0;
        for (var i = 0; i < directory.Length; i++)
        {
            _starts[i] = total;
            total += directory[i].Count;
        }
        var named = directory.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in _cache.Keys.Where(n => !named.Contains(n)).ToList())
        {
            _cache.Remove(stale);
        }
    }

    private int FindSegment(int index)
    {
        var found = Array.BinarySearch(_starts, index);
        // Starts are strictly increasing: an emptied segment always leaves the directory.
        return found >= 0 ? found : ~found - 1;
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
            throw new InvalidDataException($"index segment '{segment.Name}' of '{mailbox}' holds {entries.Length} entries, the directory says {segment.Count}");
        }
        _cache[segment.Name] = entries;
        return entries;
    }
}
