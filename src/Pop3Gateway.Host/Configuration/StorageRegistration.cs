using Microsoft.Extensions.DependencyInjection;
using Pop3Gateway.Grains;
using Pop3Gateway.Storage;
using Pop3Gateway.Storage.Embedded;

namespace Pop3Gateway.Host.Configuration;

/// <summary>Wires the configured storage profile: grain state in the silo, bodies everywhere.</summary>
public static class StorageRegistration
{
    public static void AddGrainStorage(ISiloBuilder silo, StorageSettings settings)
    {
        switch (settings.Provider)
        {
            case StorageProvider.Embedded:
                silo.AddEmbeddedGrainStorage(StorageNames.Mailboxes, o => o.DataDirectory = settings.FullDataDirectory);
                break;
            default:
                throw new InvalidOperationException($"Invalid configuration: unknown Storage:Provider '{settings.Provider}'");
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
            default:
                throw new InvalidOperationException($"Invalid configuration: unknown Storage:Provider '{settings.Provider}'");
        }
    }
}
