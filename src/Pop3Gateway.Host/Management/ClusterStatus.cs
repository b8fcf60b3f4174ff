using Orleans.Runtime;

namespace Pop3Gateway.Host.Management;

public sealed record SiloHealth(string Address, string Status);

/// <summary>Asks the cluster's management grain which silos are up, for the operator page; answers are cached briefly.</summary>
public sealed class ClusterStatus(IGrainFactory grains, TimeProvider time)
{
    /// <summary>Probes come every few seconds; one cluster call per interval is enough.</summary>
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);

    /// <summary>A cluster that does not answer within this is shown as having no silos.</summary>
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(3);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTimeOffset At, IReadOnlyList<SiloHealth>? Silos) _cached;

    public async Task<IReadOnlyList<SiloHealth>> SilosAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cached.Silos is { } fresh && time.GetUtcNow() - _cached.At < CacheFor)
            {
                return fresh;
            }
            IReadOnlyList<SiloHealth> silos;
            try
            {
                var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: false).WaitAsync(CallTimeout, cancellationToken);
                silos = hosts.Select(h => new SiloHealth(h.Key.ToString(), h.Value.ToString())).OrderBy(s => s.Address, StringComparer.Ordinal).ToArray();
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                silos = [];
            }
            _cached = (time.GetUtcNow(), silos);
            return silos;
        }
        finally
        {
            _gate.Release();
        }
    }
}
