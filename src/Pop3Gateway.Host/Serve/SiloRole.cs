using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Pop3Gateway.Abstractions.Frontends;
using Pop3Gateway.Grains;
using Pop3Gateway.Grains.Security;
using Pop3Gateway.Host.Configuration;
using Pop3Gateway.Host.Configuration.Cluster;
using Pop3Gateway.Host.Management;
using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Host.Serve;

/// <summary>The silo part of a process (roles <c>silo</c> and <c>combined</c>): grains, grain storage, membership.</summary>
internal static class SiloRole
{
    public static void AddSilo(WebApplicationBuilder builder, StorageSettings storage, OrleansSettings orleans, ClusterTls tls)
    {
        if (storage.Provider == StorageProvider.Embedded)
        {
            PrivateFiles.CreateDirectory(storage.FullDataDirectory);
        }
        builder.UseOrleans(silo =>
        {
            StorageRegistration.AddClustering(silo, storage, orleans);
            StorageRegistration.AddGrainStorage(silo, storage);
            silo.AddActivityPropagation();
            tls.Apply(silo);
            silo.AddIncomingGrainCallFilter<AdminCallFilter>();
            if (orleans.SiloName is { } name)
            {
                silo.Configure<SiloOptions>(o => o.SiloName = name);
            }
        });
        builder.Services.Configure<SessionLivenessOptions>(builder.Configuration.GetSection(SessionLivenessOptions.Section));
        builder.Services.Configure<GrainsOptions>(builder.Configuration.GetSection(GrainsOptions.Section));
        builder.Services.AddOptions<GrainCollectionOptions>().Configure<IOptions<GrainsOptions>>((collection, grains) => grains.Value.ApplyTo(collection));
        builder.Services.AddSingleton(new AdminTrust(tls.Authority));
        builder.Services.AddSingleton<IClusterReachability, SiloMembershipReachability>();
    }
}
