using Pop3Gateway.Abstractions.Storage;
using Pop3Gateway.Storage.Azure;

namespace Pop3Gateway.Host.Configuration;

/// <summary>A cluster on Azure Storage: Table clustering, Blob grain state, segments and bodies in Blob containers.</summary>
public sealed class AzureStorageProfile(StorageSettings settings) : IStorageProfile
{
    private readonly AzureStorageOptions _azure = settings.Azure;

    public void AddClustering(ISiloBuilder silo, OrleansSettings orleans)
    {
        silo.Configure<Orleans.Configuration.ClusterOptions>(o => Identify(o, orleans));
        // Loopback unless POD_IP or Orleans:AdvertisedAddress says otherwise: never a guessed network address.
        silo.ConfigureEndpoints(orleans.AdvertisedIPAddress, orleans.SiloPort, orleans.GatewayPort, orleans.ListenOnAnyAddress);
        if (orleans.GatewayListenPort is > 0 and var listenPort)
        {
            // Clients must address the gateway exactly as advertised (Orleans compares it); only the local port differs.
            var address = orleans.ListenOnAnyAddress ? System.Net.IPAddress.Any : orleans.AdvertisedIPAddress;
            silo.Configure<Orleans.Configuration.EndpointOptions>(o => o.GatewayListeningEndpoint = new System.Net.IPEndPoint(address, listenPort));
        }
        silo.UseAzureStorageClustering(o =>
        {
            o.TableServiceClient = AzureClients.Tables(_azure);
            o.TableName = _azure.ClusterTable;
        });
    }

    public void AddClustering(IClientBuilder client, OrleansSettings orleans)
    {
        client.Configure<Orleans.Configuration.ClusterOptions>(o => Identify(o, orleans));
        client.UseAzureStorageClustering(o =>
        {
            o.TableServiceClient = AzureClients.Tables(_azure);
            o.TableName = _azure.ClusterTable;
        });
    }

    public void AddGrainStorage(ISiloBuilder silo) => silo.AddAzureGrainStorage(StorageNames.Mailboxes, _azure);

    public void AddBodyStore(IServiceCollection services) => services.AddAzureBodyStore(_azure);

    private static void Identify(Orleans.Configuration.ClusterOptions options, OrleansSettings orleans)
    {
        options.ServiceId = orleans.ServiceId;
        options.ClusterId = orleans.ClusterId;
    }
}
