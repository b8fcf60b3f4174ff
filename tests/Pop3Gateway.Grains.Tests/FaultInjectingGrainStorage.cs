using Orleans.Storage;
using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Tests;

/// <summary>Wraps the real grain storage and fails writes (and reads) on demand.</summary>
public sealed class FaultInjectingGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private volatile bool _failWrites;
    private volatile bool _landThenFailWrites;
    private volatile bool _failReads;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _writes = new();

    /// <summary>State writes that reached storage for <paramref name="stateName"/> of the grain keyed <paramref name="key"/>.</summary>
    public int Writes(string stateName, string key) => _writes.GetValueOrDefault(stateName + "/" + key);

    /// <summary>Writes reach storage, then throw as a timeout would: the caller cannot tell that they landed.</summary>
    public bool LandThenFailWrites
    {
        get => _landThenFailWrites;
        set => _landThenFailWrites = value;
    }

    public bool FailReads
    {
        get => _failReads;
        set => _failReads = value;
    }

    public bool FailWrites
    {
        get => _failWrites;
        set => _failWrites = value;
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        _failReads
            ? throw new StorageUnavailableException("injected read failure")
            : inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_failWrites)
        {
            throw new StorageUnavailableException("injected write failure");
        }
        _writes.AddOrUpdate(stateName + "/" + grainId.Key, 1, (_, n) => n + 1);
        if (_landThenFailWrites)
        {
            // Written, but the caller's state object must not learn the new ETag: a copy is written.
            var copy = new GrainState<T>(grainState.State, grainState.ETag) { RecordExists = grainState.RecordExists };
            await inner.WriteStateAsync(stateName, grainId, copy);
            throw new TimeoutException("injected timeout after the write landed");
        }
        await inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        _failWrites
            ? throw new StorageUnavailableException("injected clear failure")
            : inner.ClearStateAsync(stateName, grainId, grainState);
}
