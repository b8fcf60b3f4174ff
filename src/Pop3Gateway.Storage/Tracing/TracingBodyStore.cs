using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Storage.Tracing;

/// <summary>An <see cref="IBodyStore"/> that records a span per operation around the store it wraps.</summary>
public sealed class TracingBodyStore(IBodyStore inner, string provider) : IBodyStore
{
    public IBodyStore Inner => inner;

    public async Task<StoredBody> WriteAsync(string mailbox, Stream source, CancellationToken cancellationToken)
    {
        using var activity = StorageTracing.Start(StorageTracing.BodyWrite, provider, mailbox);
        try
        {
            var stored = await inner.WriteAsync(mailbox, source, cancellationToken);
            activity?.SetTag(StorageTracing.ObjectTag, stored.BodyId).SetTag(StorageTracing.OctetsTag, stored.Size);
            return stored;
        }
        catch (Exception e)
        {
            StorageTracing.Fail(activity, e);
            throw;
        }
    }

    /// <summary>The span covers opening the body; the reads that follow are the caller's (the POP3 command's span).</summary>
    public Task<Stream> OpenReadAsync(string mailbox, string bodyId, CancellationToken cancellationToken) =>
        StorageTracing.TraceAsync(StorageTracing.BodyRead, provider, mailbox, bodyId, () => inner.OpenReadAsync(mailbox, bodyId, cancellationToken));

    public Task<bool> ExistsAsync(string mailbox, string bodyId, CancellationToken cancellationToken) =>
        StorageTracing.TraceAsync(StorageTracing.BodyExists, provider, mailbox, bodyId, () => inner.ExistsAsync(mailbox, bodyId, cancellationToken));

    public Task DeleteAsync(string mailbox, string bodyId, CancellationToken cancellationToken) =>
        StorageTracing.TraceAsync(StorageTracing.BodyDelete, provider, mailbox, bodyId, () => inner.DeleteAsync(mailbox, bodyId, cancellationToken));

    public IAsyncEnumerable<BodyListing> ListAsync(string mailbox, CancellationToken cancellationToken) =>
        StorageTracing.TraceAsync(StorageTracing.BodyList, provider, mailbox, inner.ListAsync(mailbox, cancellationToken));
}
