using Orleans.Runtime;

namespace Pop3Gateway.Host.Management;

/// <summary>Whether this process can serve right now as far as the cluster goes; read by <c>/health/ready</c>, no grain call.</summary>
public interface IClusterReachability
{
    bool IsReachable { get; }

    /// <summary>A word for the probe's body when not reachable.</summary>
    string Describe();
}

/// <summary>A silo (or the combined role) is reachable while the membership table lists it as Active.</summary>
public sealed class SiloMembershipReachability(IClusterMembershipService membership, ILocalSiloDetails local) : IClusterReachability
{
    public bool IsReachable => Status == SiloStatus.Active;

    public string Describe() => $"silo {Status}";

    private SiloStatus Status => membership.CurrentSnapshot.GetSiloStatus(local.SiloAddress);
}

/// <summary>A front-end is reachable while its Orleans client holds at least one gateway connection.</summary>
public sealed class GatewayReachability : IClusterReachability, IClusterConnectionStatusObserver
{
    private int _connectedGateways;

    public bool IsReachable => Volatile.Read(ref _connectedGateways) > 0;

    public int ConnectedGateways => Volatile.Read(ref _connectedGateways);

    public string Describe() => "no gateway connected";

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered) =>
        Volatile.Write(ref _connectedGateways, currentNumberOfGateways);

    public void NotifyClusterConnectionLost() => Volatile.Write(ref _connectedGateways, 0);
}
