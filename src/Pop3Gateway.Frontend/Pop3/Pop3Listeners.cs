using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pop3Gateway.Frontend.Backend;
using Pop3Gateway.Frontend.Proxy;
using Pop3Gateway.Frontend.Security;
using Pop3Gateway.Frontend.Tls;

namespace Pop3Gateway.Frontend.Pop3;

/// <summary>
/// The POP3 listeners: the plain port (with STLS when a certificate is configured) and the implicit-TLS
/// port, each with the PROXY-header middleware first when trusted proxies are configured, then the
/// connection limits, bans and trust (<see cref="ConnectionAdmissionMiddleware"/>), so a connection counts
/// from accept, before any TLS handshake.
/// </summary>
public static class Pop3Listeners
{
    /// <summary>
    /// Kestrel's read buffer per connection (default 1 MiB): a POP3 command line is at most 1 KiB and an LMTP
    /// line 2 KiB, so this is room for a long pipelined batch; a client that sends more waits (TCP backpressure).
    /// </summary>
    public const int MaxReadBufferSize = 16 * 1024;

    /// <summary>
    /// Kestrel's write buffer per connection before a flush waits for the client (default 64 KiB); a client that
    /// never reads holds at most this plus one batch of replies, and only until <c>Pop3:IdleTimeout</c>.
    /// </summary>
    public const int MaxWriteBufferSize = 16 * 1024;

    /// <summary>
    /// Reads the <c>Tls</c>, <c>Security</c>, <c>Limits</c> and <c>Network</c> sections and registers
    /// <see cref="ConnectionSecurity"/>, the admission middleware, the backend factory and the bounds of
    /// Kestrel's per-connection buffers.
    /// </summary>
    /// <exception cref="InvalidOperationException">A setting is invalid (certificate unreadable, a bad CIDR).</exception>
    public static (ConnectionSecurity Security, NetworkList TrustedProxies) AddPop3Security(
        IServiceCollection services, IConfiguration configuration)
    {
        var tls = configuration.GetSection(TlsOptions.Section).Get<TlsOptions>() ?? new TlsOptions();
        var securityOptions = configuration.GetSection(SecurityOptions.Section).Get<SecurityOptions>() ?? new SecurityOptions();
        var limits = configuration.GetSection(LimitsOptions.Section).Get<LimitsOptions>() ?? new LimitsOptions();
        var network = configuration.GetSection(NetworkOptions.Section).Get<NetworkOptions>() ?? new NetworkOptions();
        var certificate = ServerCertificate.Load(tls, TimeProvider.System);
        var security = new ConnectionSecurity(securityOptions, limits, certificate);
        services.AddSingleton(security);
        if (certificate is not null)
        {
            // Through a factory, so that the container disposes it (ending its expiry gauge) with the host.
            services.AddSingleton(_ => certificate);
            services.AddHostedService(s => new CertificateReloader(
                s.GetRequiredService<ServerCertificate>(), tls, s.GetRequiredService<TimeProvider>(), s.GetRequiredService<ILogger<CertificateReloader>>()));
        }
        services.Configure<SocketTransportOptions>(o =>
        {
            o.MaxReadBufferSize = MaxReadBufferSize;
            o.MaxWriteBufferSize = MaxWriteBufferSize;
        });
        services.AddSingleton<ConnectionAdmissionMiddleware>();
        services.AddSingleton<Pop3BackendFactory>();
        return (security, network.ParseTrustedProxies());
    }

    public static void Listen(
        KestrelServerOptions kestrel, IPAddress address, Pop3ServerOptions pop3, ConnectionSecurity security, NetworkList trustedProxies)
    {
        var logger = kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(Pop3Listeners));
        var proxy = trustedProxies.Networks.Count > 0 ? new ProxyProtocolMiddleware(trustedProxies, logger) : null;
        var admission = kestrel.ApplicationServices.GetRequiredService<ConnectionAdmissionMiddleware>();
        kestrel.Listen(address, pop3.Port, listen =>
        {
            UseProxy(listen, proxy);
            listen.Use(next => connection => admission.OnConnectionAsync(connection, next));
            listen.UseConnectionHandler<Pop3ConnectionHandler>();
        });
        if (security.ServerCertificate is { } certificate && pop3.TlsPort > 0)
        {
            kestrel.Listen(address, pop3.TlsPort, listen =>
            {
                UseProxy(listen, proxy);
                listen.Use(next => connection => admission.OnConnectionAsync(connection, next, plaintext: false));
                // Asked at every handshake, so a reloaded certificate serves the next connection.
                listen.UseHttps(new TlsHandshakeCallbackOptions
                {
                    OnConnection = _ => ValueTask.FromResult(certificate.ServerOptions),
                    HandshakeTimeout = StartTlsUpgrade.HandshakeTimeout,
                });
                listen.UseConnectionHandler<Pop3ConnectionHandler>();
            });
        }
    }

    private static void UseProxy(ListenOptions listen, ProxyProtocolMiddleware? proxy)
    {
        if (proxy is not null)
        {
            listen.Use(next => connection => proxy.OnConnectionAsync(connection, next));
        }
    }
}
