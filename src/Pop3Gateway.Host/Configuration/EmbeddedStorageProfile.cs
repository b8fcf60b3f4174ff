using Pop3Gateway.Abstractions.Storage;
using Pop3Gateway.Storage.Embedded;

namespace Pop3Gateway.Host.Configuration;

/// <summary>One machine: localhost clustering; state, segments and bodies as files under the data directory.</summary>
public sealed class EmbeddedStorageProfile(StorageSettings settings) : IStorageProfile
{
    public void AddClustering(ISiloBuilder silo, OrleansSettings orleans) =>
        // Listens on and advertises loopback only: this profile is one machine.
        silo.UseLocalhostClustering(orleans.SiloPort, orleans.GatewayPort, null, orleans.ServiceId, orleans.ClusterId);

    public void AddClustering(IClientBuilder client, OrleansSettings orleans) =>
        client.UseLocalhostClustering(orleans.GatewayPort, orleans.ServiceId, orleans.ClusterId);

    public void AddGrainStorage(ISiloBuilder silo)
    {
        silo.AddEmbeddedGrainStorage(StorageNames.Mailboxes, o => o.DataDirectory = settings.FullDataDirectory);
        silo.Services.AddEmbeddedSegmentStore(o => o.DataDirectory = settings.FullDataDirectory);
    }

    public void AddBodyStore(IServiceCollection services) =>
        services.AddEmbeddedBodyStore(o => o.DataDirectory = settings.FullDataDirectory);
}
