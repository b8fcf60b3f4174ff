using Orleans.Storage;
using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Tests;

/// <summary>Wraps the real grain storage and fails writes on demand.</summary>
public sealed class FaultInjectingGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private volatile bool _failWrites;

    public bool FailWrites
    {
        get => _failWrites;
        set => _failWrites = value;
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        _failWrites
            ? throw new StorageUnavailableException("injected write failure")
            : inner.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        _failWrites
            ? throw new StorageUnavailableException("injected clear failure")
            : inner.ClearStateAsync(stateName, grainId, grainState);
}
