using System.Net;
using Pop3Gateway.Cluster.Tests.Infrastructure;

namespace Pop3Gateway.Cluster.Tests.Faults;

/// <summary>
/// One process cut off from the silos' gateways: the relays in front of them black-hole that process's connections,
/// open and new, both ways (nothing is closed, so neither side hears of it), while other processes pass; healed after
/// <see cref="Duration"/>, when what was held back is delivered, late.
/// </summary>
public sealed class PartitionFault(LocalCluster cluster, string process, IReadOnlyList<TcpRelay> gatewayRelays, TimeSpan duration) : IFault
{
    public string Description => $"partition {process.Replace("frontend", "fe", StringComparison.Ordinal)} {duration.TotalSeconds:F0} s";

    public TimeSpan Duration => duration;

    public bool StopsClocks => false;

    public string Outcome => "";

    public string? Problem => null;

    public async Task BeginAsync()
    {
        var pid = (await cluster.PidsAsync()).Single(p => p.Name == process).Pid;
        bool Cut(IPEndPoint client) => SocketOwner.IsHeldBy(client, pid);
        foreach (var relay in gatewayRelays)
        {
            relay.Block(Cut);
        }
    }

    public Task InEffectAsync() => Task.CompletedTask;

    public Task EndAsync()
    {
        foreach (var relay in gatewayRelays)
        {
            relay.Heal();
        }
        return Task.CompletedTask;
    }
}
