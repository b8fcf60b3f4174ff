using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Hosting;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;
using Pop3Gateway.Storage.Tracing;

namespace Pop3Gateway.Storage.Embedded;

/// <summary>Registration of the embedded storage profile.</summary>
public static class EmbeddedStorageServiceCollectionExtensions
{
    /// <summary>The <c>storage.provider</c> tag of this profile's spans.</summary>
    public const string Provider = "embedded";

    /// <summary>Adds <see cref="EmbeddedGrainStorage"/> as the grain storage named <paramref name="name"/>.</summary>
    public static ISiloBuilder AddEmbeddedGrainStorage(this ISiloBuilder builder, string name, Action<EmbeddedStorageOptions> configure)
    {
        builder.Services.AddEmbeddedGrainStorage(name, configure);
        return builder;
    }

    /// <summary>
    /// Adds <see cref="EmbeddedGrainStorage"/> as the grain storage named <paramref name="name"/> (a keyed
    /// <see cref="Orleans.Storage.IGrainStorage"/>), and its <see cref="IGrainStateCatalog"/> under the same name.
    /// </summary>
    public static IServiceCollection AddEmbeddedGrainStorage(this IServiceCollection services, string name, Action<EmbeddedStorageOptions> configure)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<EmbeddedStorageOptions>(name).Configure(configure);
        services.TryAddSingleton(TimeProvider.System);
        services.AddGrainStorage(name, EmbeddedGrainStorage.Create);
        services.AddKeyedSingleton<IGrainStateCatalog>(name, (sp, key) =>
            new EmbeddedStateCatalog(sp.GetRequiredService<IOptionsMonitor<EmbeddedStorageOptions>>().Get((string)key!)));
        TracingGrainStorage.Decorate(services, name, Provider);
        return services;
    }

    /// <summary>Adds <see cref="EmbeddedBodyStore"/> as the <see cref="IBodyStore"/>.</summary>
    public static IServiceCollection AddEmbeddedBodyStore(this IServiceCollection services, Action<EmbeddedStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<EmbeddedStorageOptions>().Configure(configure);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IBodyStore>(sp => new TracingBodyStore(ActivatorUtilities.CreateInstance<EmbeddedBodyStore>(sp), Provider));
        return services;
    }

    /// <summary>Adds <see cref="EmbeddedSegmentStore"/> as the <see cref="IMailboxSegmentStore"/> (silo side: the mailbox index).</summary>
    public static IServiceCollection AddEmbeddedSegmentStore(this IServiceCollection services, Action<EmbeddedStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<EmbeddedStorageOptions>().Configure(configure);
        services.TryAddSingleton<IMailboxSegmentStore>(sp => new TracingSegmentStore(ActivatorUtilities.CreateInstance<EmbeddedSegmentStore>(sp), Provider));
        return services;
    }
}
