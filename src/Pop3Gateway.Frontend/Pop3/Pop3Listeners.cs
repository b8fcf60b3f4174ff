using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
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
/// port, each with the PROXY-header middleware in front of TLS when trusted proxies are configured, and
/// the connection limits and bans (<see cref="ConnectionAdmissionMiddleware"/>) after it.
/// </summary>
public static class Pop3Listeners
{
    /// <summary>
    /// Reads the <c>Tls</c>, <c>Security</c>, <c>Limits</c> and <c>Network</c> sections and registers
    /// <see cref="ConnectionSecurity"/>, the admission middleware and the backend factory.
    /// </summary>
    /// <exception cref="InvalidOperationException">A setting is invalid (certificate unreadable, a bad CIDR).</exception>
    public static (ConnectionSecurity Security, IReadOnlyList<IPNetwork> TrustedProxies) AddPop3Security(
        IServiceCollection services, IConfiguration configuration)
    {
        var tls = configuration.GetSection(TlsOptions.Section).Get<TlsOptions>() ?? new TlsOptions();
        var securityOptions = configuration.GetSection(SecurityOptions.Section).Get<SecurityOptions>() ?? new SecurityOptions();
        var limits = configuration.GetSection(LimitsOptions.Section).Get<LimitsOptions>() ?? new LimitsOptions();
        var network = configuration.GetSection(NetworkOptions.Section).Get<NetworkOptions>() ?? new NetworkOptions();
        var security = new ConnectionSecurity(securityOptions, limits, TlsCertificateLoader.Load(tls));
        services.AddSingleton(security);
        services.AddSingleton<ConnectionAdmissionMiddleware>();
        services.AddSingleton<Pop3BackendFactory>();
        return (security, network.ParseTrustedProxies());
    }

    public static void Listen(
        KestrelServerOptions kestrel, IPAddress address, Pop3ServerOptions pop3, ConnectionSecurity security, IReadOnlyList<IPNetwork> trustedProxies)
    {
        var logger = kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(Pop3Listeners));
        var proxy = trustedProxies.Count > 0 ? new ProxyProtocolMiddleware(trustedProxies, logger) : null;
        var admission = kestrel.ApplicationServices.GetRequiredService<ConnectionAdmissionMiddleware>();
        kestrel.Listen(address, pop3.Port, listen =>
        {
            UseProxy(listen, proxy);
            UsePop3(listen, admission);
        });
        if (security.Certificate is { } certificate && pop3.TlsPort > 0)
        {
            kestrel.Listen(address, pop3.TlsPort, listen =>
            {
                UseProxy(listen, proxy);
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = certificate,
                    SslProtocols = TlsCertificateLoader.Protocols,
                    ClientCertificateMode = ClientCertificateMode.NoCertificate,
                    HandshakeTimeout = StartTlsUpgrade.HandshakeTimeout,
                });
                UsePop3(listen, admission);
            });
        }
    }

    private static void UsePop3(ListenOptions listen, ConnectionAdmissionMiddleware admission)
    {
        listen.Use(next => connection => admission.OnConnectionAsync(connection, next));
        listen.UseConnectionHandler<Pop3ConnectionHandler>();
    }

    private static void UseProxy(ListenOptions listen, ProxyProtocolMiddleware? proxy)
    {
        if (proxy is not null)
        {
            listen.Use(next => connection => proxy.OnConnectionAsync(connection, next));
        }
    }
}
