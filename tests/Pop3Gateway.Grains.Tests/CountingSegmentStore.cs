using System.Collections.Concurrent;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Grains.Tests;

/// <summary>Wraps the real segment store: counts reads and written bytes per mailbox, fails writes on demand.</summary>
public sealed class CountingSegmentStore(IMailboxSegmentStore inner) : IMailboxSegmentStore
{
    private readonly ConcurrentDictionary<string, int> _reads = new();
    private readonly ConcurrentDictionary<string, long> _writtenBytes = new();
    private readonly ConcurrentDictionary<string, bool> _failWrites = new();

    public int Reads(string mailbox) => _reads.GetValueOrDefault(mailbox);

    public long WrittenBytes(string mailbox) => _writtenBytes.GetValueOrDefault(mailbox);

    public void FailWrites(string mailbox, bool fail) => _failWrites[mailbox] = fail;

    public Task WriteAsync(string mailbox, string segment, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        if (_failWrites.GetValueOrDefault(mailbox))
        {
            throw new StorageUnavailableException("injected segment write failure");
        }
        _writtenBytes.AddOrUpdate(mailbox, content.Length, (_, total) => total + content.Length);
        return inner.WriteAsync(mailbox, segment, content, cancellationToken);
    }

    public Task<byte[]> ReadAsync(string mailbox, string segment, CancellationToken cancellationToken)
    {
        _reads.AddOrUpdate(mailbox, 1, (_, total) => total + 1);
        return inner.ReadAsync(mailbox, segment, cancellationToken);
    }

    public Task DeleteAsync(string mailbox, string segment, CancellationToken cancellationToken) =>
        inner.DeleteAsync(mailbox, segment, cancellationToken);

    public IAsyncEnumerable<StoredItem> ListAsync(string mailbox, CancellationToken cancellationToken) =>
        inner.ListAsync(mailbox, cancellationToken);
}
