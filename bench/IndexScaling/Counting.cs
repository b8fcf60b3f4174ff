using Orleans.Serialization;
using Orleans.Storage;
using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Bench.IndexScaling;

/// <summary>Bytes the mailbox index writes: segment contents plus serialized header states.</summary>
internal sealed class WriteMeter
{
    private long _bytes;

    public long Bytes => Interlocked.Read(ref _bytes);

    public void Add(long bytes) => Interlocked.Add(ref _bytes, bytes);
}

internal sealed class CountingGrainStorage(IGrainStorage inner, Serializer serializer, WriteMeter meter) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        meter.Add(serializer.SerializeToArray(grainState.State).Length);
        return inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}

internal sealed class CountingSegmentStore(IMailboxSegmentStore inner, WriteMeter meter) : IMailboxSegmentStore
{
    public Task WriteAsync(string mailbox, string segment, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        meter.Add(content.Length);
        return inner.WriteAsync(mailbox, segment, content, cancellationToken);
    }

    public Task<byte[]> ReadAsync(string mailbox, string segment, CancellationToken cancellationToken) =>
        inner.ReadAsync(mailbox, segment, cancellationToken);

    public Task DeleteAsync(string mailbox, string segment, CancellationToken cancellationToken) =>
        inner.DeleteAsync(mailbox, segment, cancellationToken);

    public IAsyncEnumerable<StoredItem> ListAsync(string mailbox, CancellationToken cancellationToken) =>
        inner.ListAsync(mailbox, cancellationToken);
}
