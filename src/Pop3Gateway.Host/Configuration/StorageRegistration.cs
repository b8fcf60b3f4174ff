using Microsoft.Extensions.DependencyInjection;
using Pop3Gateway.Grains;
using Pop3Gateway.Grains.Mailboxes;
using Pop3Gateway.Abstractions.Storage;
using Pop3Gateway.Storage.Azure;
using Pop3Gateway.Storage.Embedded;

namespace Pop3Gateway.Host.Configuration;

/// <summary>Wires the configured storage profile: clustering, grain state and the index in the silo, bodies everywhere.</summary>
public static class StorageRegistration
{
    public static void AddClustering(ISiloBuilder silo, StorageSettings settings, OrleansSettings orleans)
    {
        switch (settings.Provider)
        {
            case StorageProvider.Embedded:
                // Listens on and advertises loopback only: this profile is one machine.
                silo.UseLocalhostClustering(orleans.SiloPort, orleans.GatewayPort, null, orleans.ServiceId, orleans.ClusterId);
                break;
            case StorageProvider.Azure:
                var azure = settings.Azure;
                silo.Configure<Orleans.Configuration.ClusterOptions>(o =>
                {
                    o.ServiceId = orleans.ServiceId;
                    o.ClusterId = orleans.ClusterId;
                });
                // Loopback unless POD_IP or Orleans:AdvertisedAddress says otherwise: never a guessed network address.
                silo.ConfigureEndpoints(orleans.AdvertisedIPAddress, orleans.SiloPort, orleans.GatewayPort, orleans.ListenOnAnyAddress);
                silo.UseAzureStorageClustering(o =>
                {
                    o.TableServiceClient = AzureClients.Tables(azure);
                    o.TableName = azure.ClusterTable;
                });
                break;
            default:
                throw UnknownProvider(settings);
        }
    }

    public static void AddClustering(IClientBuilder client, StorageSettings settings, OrleansSettings orleans)
    {
        switch (settings.Provider)
        {
            case StorageProvider.Embedded:
                client.UseLocalhostClustering(orleans.GatewayPort, orleans.ServiceId, orleans.ClusterId);
                break;
            case StorageProvider.Azure:
                var azure = settings.Azure;
                client.Configure<Orleans.Configuration.ClusterOptions>(o =>
                {
                    o.ServiceId = orleans.ServiceId;
                    o.ClusterId = orleans.ClusterId;
                });
                client.UseAzureStorageClustering(o =>
                {
                    o.TableServiceClient = AzureClients.Tables(azure);
                    o.TableName = azure.ClusterTable;
                });
                break;
            default:
                throw UnknownProvider(settings);
        }
    }

    public static void AddGrainStorage(ISiloBuilder silo, StorageSettings settings)
    {
        switch (settings.Provider)
        {
            case StorageProvider.Embedded:
                silo.AddEmbeddedGrainStorage(StorageNames.Mailboxes, o => o.DataDirectory = settings.FullDataDirectory);
                silo.Services.AddEmbeddedSegmentStore(o => o.DataDirectory = settings.FullDataDirectory);
                break;
            case StorageProvider.Azure:
                silo.AddAzureGrainStorage(StorageNames.Mailboxes, settings.Azure);
                break;
            default:
                throw UnknownProvider(settings);
        }
        silo.Services.AddPop3Grains();
    }

    public static void AddBodyStore(IServiceCollection services, StorageSettings settings)
    {
        switch (settings.Provider)
        {
            case StorageProvider.Embedded:
                services.AddEmbeddedBodyStore(o => o.DataDirectory = settings.FullDataDirectory);
                break;
            case StorageProvider.Azure:
                services.AddAzureBodyStore(settings.Azure);
                break;
            default:
                throw UnknownProvider(settings);
        }
    }

    private static InvalidOperationException UnknownProvider(StorageSettings settings) =>
        new($"Invalid configuration: unknown Storage:Provider '{settings.Provider}'");
}
