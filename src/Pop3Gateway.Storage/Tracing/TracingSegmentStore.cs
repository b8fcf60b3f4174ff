using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Storage.Tracing;

/// <summary>An <see cref="IMailboxSegmentStore"/> that records a span per operation around the store it wraps.</summary>
public sealed class TracingSegmentStore(IMailboxSegmentStore inner, string provider) : IMailboxSegmentStore
{
    public async Task WriteAsync(string mailbox, string segment, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        using var activity = StorageTracing.Start(StorageTracing.SegmentWrite, provider, mailbox, segment);
        activity?.SetTag(StorageTracing.OctetsTag, content.Length);
        try
        {
            await inner.WriteAsync(mailbox, segment, content, cancellationToken);
        }
        catch (Exception e)
        {
            StorageTracing.Fail(activity, e);
            throw;
        }
    }

    public Task<byte[]> ReadAsync(string mailbox, string segment, CancellationToken cancellationToken) =>
        StorageTracing.TraceAsync(StorageTracing.SegmentRead, provider, mailbox, segment, () => inner.ReadAsync(mailbox, segment, cancellationToken));

    public Task DeleteAsync(string mailbox, string segment, CancellationToken cancellationToken) =>
        StorageTracing.TraceAsync(StorageTracing.SegmentDelete, provider, mailbox, segment, () => inner.DeleteAsync(mailbox, segment, cancellationToken));

    public IAsyncEnumerable<StoredItem> ListAsync(string mailbox, CancellationToken cancellationToken) =>
        StorageTracing.TraceAsync(StorageTracing.SegmentList, provider, mailbox, inner.ListAsync(mailbox, cancellationToken));
}
