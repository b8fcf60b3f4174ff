namespace Pop3Gateway.Host.Configuration;

/// <summary>
/// One storage profile (<see cref="StorageProvider"/>): how silos and clients find the cluster, where
/// grain state and index segments live, and where message bodies live. Chosen once, by
/// <see cref="StorageRegistration.Profile"/>.
/// </summary>
public interface IStorageProfile
{
    /// <summary>Cluster membership and endpoints of a silo.</summary>
    void AddClustering(ISiloBuilder silo, OrleansSettings orleans);

    /// <summary>How a client (front-end, admin CLI) finds the cluster's gateways.</summary>
    void AddClustering(IClientBuilder client, OrleansSettings orleans);

    /// <summary>Grain state and the mailbox index segments, in the silo.</summary>
    void AddGrainStorage(ISiloBuilder silo);

    /// <summary>Message bodies, wherever they are written or read.</summary>
    void AddBodyStore(IServiceCollection services);
}
