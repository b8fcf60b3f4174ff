using Pop3Gateway.Grains;

namespace Pop3Gateway.Host.Configuration;

/// <summary>Wires the configured storage profile: clustering, grain state and the index in the silo, bodies everywhere.</summary>
public static class StorageRegistration
{
    /// <summary>The one place where <see cref="StorageSettings.Provider"/> picks the profile.</summary>
    public static IStorageProfile Profile(StorageSettings settings) => settings.Provider switch
    {
        StorageProvider.Embedded => new EmbeddedStorageProfile(settings),
        StorageProvider.Azure => new AzureStorageProfile(settings),
        _ => throw new InvalidOperationException($"Invalid configuration: unknown Storage:Provider '{settings.Provider}'"),
    };

    public static void AddClustering(ISiloBuilder silo, StorageSettings settings, OrleansSettings orleans) =>
        Profile(settings).AddClustering(silo, orleans);

    public static void AddClustering(IClientBuilder client, StorageSettings settings, OrleansSettings orleans) =>
        Profile(settings).AddClustering(client, orleans);

    public static void AddGrainStorage(ISiloBuilder silo, StorageSettings settings)
    {
        Profile(settings).AddGrainStorage(silo);
        silo.Services.AddPop3Grains();
    }

    public static void AddBodyStore(IServiceCollection services, StorageSettings settings) =>
        Profile(settings).AddBodyStore(services);
}
