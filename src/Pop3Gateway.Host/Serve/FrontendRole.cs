using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Pop3Gateway.Abstractions.Frontends;
using Pop3Gateway.Frontend.Delivery;
using Pop3Gateway.Frontend.Lmtp;
using Pop3Gateway.Frontend.Pop3;
using Pop3Gateway.Frontend.Sessions;
using Pop3Gateway.Frontend.Shutdown;
using Pop3Gateway.Host.Configuration;
using Pop3Gateway.Host.Configuration.Cluster;
using Pop3Gateway.Host.Management;

namespace Pop3Gateway.Host.Serve;

/// <summary>The front-end part of a process (roles <c>frontend</c> and <c>combined</c>): POP3, POP3S and LMTP listeners.</summary>
internal static class FrontendRole
{
    /// <summary>Pause between attempts to reach a cluster that is not there yet.</summary>
    private static readonly TimeSpan ConnectRetryDelay = TimeSpan.FromSeconds(2);

    /// <summary>Registers the listeners' services; returns what configures their Kestrel endpoints.</summary>
    public static Action<KestrelServerOptions> AddListeners(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var pop3 = configuration.GetSection(Pop3ServerOptions.Section).Get<Pop3ServerOptions>() ?? new Pop3ServerOptions();
        var address = WebHostSetup.ParseAddress(pop3.Address, "Pop3:Address");
        var lmtp = configuration.GetSection(LmtpServerOptions.Section).Get<LmtpServerOptions>() ?? new LmtpServerOptions();
        var lmtpAddress = WebHostSetup.ParseAddress(lmtp.Address, "Lmtp:Address");
        builder.Services.Configure<Pop3ServerOptions>(configuration.GetSection(Pop3ServerOptions.Section));
        builder.Services.Configure<LmtpServerOptions>(configuration.GetSection(LmtpServerOptions.Section));
        builder.Services.AddSingleton<SessionDrain>();
        builder.Services.AddSingleton<MailDelivery>();
        builder.Services.Configure<SessionLivenessOptions>(configuration.GetSection(SessionLivenessOptions.Section));
        builder.Services.AddSingleton<FrontendSessions>();
        builder.Services.AddSingleton<FrontendHeartbeat>();
        builder.Services.AddHostedService(services => services.GetRequiredService<FrontendHeartbeat>());
        var (security, trustedProxies) = Pop3Listeners.AddPop3Security(builder.Services, configuration);
        return kestrel =>
        {
            Pop3Listeners.Listen(kestrel, address, pop3, security, trustedProxies);
            kestrel.Listen(lmtpAddress, lmtp.Port, listen => listen.UseConnectionHandler<LmtpConnectionHandler>());
        };
    }

    /// <summary>
    /// The Orleans client of the <c>frontend</c> role. It connects in the background and keeps trying, so a
    /// front-end started before any silo comes up (not ready) and serves once a gateway answers; lost
    /// gateways are reconnected by the client itself.
    /// </summary>
    public static void AddClusterClient(WebApplicationBuilder builder, StorageSettings storage, OrleansSettings orleans, ClusterTls tls)
    {
        var reachability = new GatewayReachability();
        builder.Services.AddSingleton<IClusterReachability>(reachability);
        var hostedBefore = HostedServices(builder.Services);
        builder.UseOrleansClient(client =>
        {
            StorageRegistration.AddClustering(client, storage, orleans);
            client.AddActivityPropagation();
            tls.Apply(client);
            client.AddClusterConnectionStatusObserver(reachability);
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = orleans.ResponseTimeout);
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = orleans.GatewayListRefreshPeriod);
            client.UseConnectionRetryFilter(async (exception, cancellationToken) =>
            {
                await Task.Delay(ConnectRetryDelay, cancellationToken);
                return true;
            });
        });
        var added = HostedServices(builder.Services).Except(hostedBefore).ToList();
        if (added is not [var clientService])
        {
            throw new InvalidOperationException($"expected the Orleans client to register one hosted service, found {added.Count}");
        }
        // Same place in the start and stop order: the client stops after the listeners, so draining sessions can release leases.
        var index = builder.Services.IndexOf(clientService);
        builder.Services[index] = ServiceDescriptor.Singleton<IHostedService>(services => new ClusterClientConnector(
            services.GetRequiredService<IClusterClient>(), reachability, services.GetRequiredService<ILogger<ClusterClientConnector>>()));
    }

    private static List<ServiceDescriptor> HostedServices(IServiceCollection services) =>
        services.Where(d => d.ServiceType == typeof(IHostedService)).ToList();
}
