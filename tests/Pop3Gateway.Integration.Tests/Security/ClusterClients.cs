using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests.Security;

/// <summary>Orleans clients and raw TLS connections that a test points at a server's silo or gateway port.</summary>
internal static class ClusterClients
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Starts an Orleans client on <paramref name="server"/>'s gateway port, in its cluster (on the Azure profile each
    /// test server has a cluster id of its own); <paramref name="tls"/> adds the client's TLS settings.
    /// </summary>
    public static async Task<IHost> ConnectAsync(ServerProcess server, Action<IClientBuilder>? tls = null)
    {
        var gatewayPort = server.GatewayPort;
        var clusterId = server.Environment.GetValueOrDefault("POP3GW__Orleans__ClusterId", "dev");
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, gatewayPort));
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, "pop3gateway"));
            client.UseConnectionRetryFilter((_, _) => Task.FromResult(false));
            tls?.Invoke(client);
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync().WaitAsync(Within);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    public static IClusterClient Grains(IHost host) => host.Services.GetRequiredService<IClusterClient>();

    /// <summary>
    /// Opens a TLS connection to <paramref name="port"/> presenting <paramref name="certificate"/> (or none) and
    /// reports whether the server ended it: a refused handshake, or a close before anything was sent.
    /// </summary>
    public static async Task<bool> ServerEndsTlsAsync(int port, X509Certificate2? certificate)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        using var timeout = new CancellationTokenSource(Within);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "pop3gw-cluster",
                ClientCertificates = certificate is null ? null : new X509CertificateCollection { certificate },
            }, timeout.Token);
            // TLS 1.3 reports a refused client certificate at the first read.
            return await tls.ReadAsync(new byte[1], timeout.Token) == 0;
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
        {
            return true;
        }
    }
}
