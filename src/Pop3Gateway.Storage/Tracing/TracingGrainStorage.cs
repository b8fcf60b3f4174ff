using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Pop3Gateway.Storage.Tracing;

/// <summary>
/// An <see cref="IGrainStorage"/> that records a span per state read, write and clear around the
/// provider it wraps (the embedded files or Orleans' Azure Blob provider). It takes part in the
/// silo lifecycle whenever the wrapped provider does, so wrapping changes nothing else.
/// </summary>
public sealed class TracingGrainStorage(IGrainStorage inner, string provider) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        StorageTracing.TraceAsync(StorageTracing.StateRead, provider, null, grainId.ToString(), () => inner.ReadStateAsync(stateName, grainId, grainState));

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        StorageTracing.TraceAsync(StorageTracing.StateWrite, provider, null, grainId.ToString(), () => inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        StorageTracing.TraceAsync(StorageTracing.StateClear, provider, null, grainId.ToString(), () => inner.ClearStateAsync(stateName, grainId, grainState));

    public void Participate(ISiloLifecycle observer) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(observer);

    /// <summary>
    /// Wraps the grain storage registered under <paramref name="name"/> (a keyed
    /// <see cref="IGrainStorage"/>, however it was added) in a <see cref="TracingGrainStorage"/>.
    /// </summary>
    public static void Decorate(IServiceCollection services, string name, string provider)
    {
        var index = -1;
        for (var i = 0; i < services.Count; i++)
        {
            var candidate = services[i];
            if (candidate.ServiceType == typeof(IGrainStorage) && candidate.IsKeyedService && Equals(candidate.ServiceKey, name))
            {
                index = i;
            }
        }
        if (index < 0)
        {
            throw new InvalidOperationException($"no grain storage named '{name}' is registered");
        }
        var original = services[index];
        services[index] = ServiceDescriptor.KeyedSingleton<IGrainStorage>(name, (sp, key) =>
            new TracingGrainStorage(Resolve(sp, key, original), provider));
    }

    private static IGrainStorage Resolve(IServiceProvider services, object? key, ServiceDescriptor original) =>
        (IGrainStorage)(original.KeyedImplementationInstance
            ?? original.KeyedImplementationFactory?.Invoke(services, key)
            ?? ActivatorUtilities.CreateInstance(services, original.KeyedImplementationType!));
}
