using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;
using Pop3Gateway.Storage.Tracing;

namespace Pop3Gateway.Storage.Azure;

/// <summary>Registration of the Azure storage profile.</summary>
public static class AzureStorageServiceCollectionExtensions
{
    /// <summary>The <c>storage.provider</c> tag of this profile's spans.</summary>
    public const string Provider = "azure";

    /// <summary>Adds <see cref="AzureBodyStore"/> as the <see cref="IBodyStore"/> (silo, front-end and CLI).</summary>
    public static IServiceCollection AddAzureBodyStore(this IServiceCollection services, AzureStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IBodyStore>(sp =>
            new TracingBodyStore(new AzureBodyStore(AzureClients.Blobs(options), options, sp.GetRequiredService<TimeProvider>()), Provider));
        return services;
    }

    /// <summary>
    /// Silo side: grain state in Blob storage (state named <paramref name="name"/>, Orleans binary
    /// serializer, ETag-guarded writes) with its <see cref="IGrainStateCatalog"/> under the same name, and the mailbox
    /// index segments in their own container.
    /// </summary>
    public static ISiloBuilder AddAzureGrainStorage(this ISiloBuilder silo, string name, AzureStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        silo.AddAzureBlobGrainStorage(name, builder => builder.Configure<Serializer>((blob, serializer) =>
        {
            blob.BlobServiceClient = AzureClients.Blobs(options);
            blob.ContainerName = options.StateContainer;
            blob.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));
        TracingGrainStorage.Decorate(silo.Services, name, Provider);
        silo.Services.AddKeyedSingleton<IGrainStateCatalog>(name, (_, _) =>
            new AzureStateCatalog(AzureClients.Blobs(options).GetBlobContainerClient(options.StateContainer)));
        silo.Services.TryAddSingleton<IMailboxSegmentStore>(_ => new TracingSegmentStore(new AzureSegmentStore(AzureClients.Blobs(options), options), Provider));
        return silo;
    }
}
