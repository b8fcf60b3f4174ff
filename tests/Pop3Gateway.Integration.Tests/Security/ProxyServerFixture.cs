using System.Diagnostics;
using System.Net.Sockets;
using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests.Security;

/// <summary>
/// A server that trusts 127.0.0.1/32 as a PROXY-protocol load balancer, with short failure delays,
/// a low ban threshold and a low per-address connection limit; and HAProxy in front of it on two
/// loopback ports, one with <c>send-proxy</c> (v1), one with <c>send-proxy-v2</c>.
/// </summary>
public sealed class ProxyServerFixture : IAsyncLifetime
{
    public const int MaxConnectionsPerIp = 3;
    public const int BanAfterFailures = 4;
    public static readonly TimeSpan FailureDelay = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxFailureDelay = TimeSpan.FromSeconds(2);

    private Process? _haproxy;

    public ServerFixture Inner { get; private set; } = null!;

    public SecureServer.DevCertificate Certificate { get; private set; } = null!;

    public int Pop3Port => Inner.Pop3Port;

    public int TlsPort { get; private set; }

    public int HaproxyV1Port { get; private set; }

    public int HaproxyV2Port { get; private set; }

    public async Task InitializeAsync()
    {
        Certificate = await SecureServer.MakeCertificateAsync();
        var ports = FreePorts.Allocate(3);
        TlsPort = ports[0];
        var settings = SecureServer.TlsSettings(Certificate, TlsPort);
        settings["POP3GW__Network__TrustedProxies"] = "127.0.0.1/32";
        settings["POP3GW__Security__FailureDelay"] = FailureDelay.ToString();
        settings["POP3GW__Security__MaxFailureDelay"] = MaxFailureDelay.ToString();
        settings["POP3GW__Security__BanAfterFailures"] = BanAfterFailures.ToString();
        settings["POP3GW__Security__BanDuration"] = "00:10:00";
        settings["POP3GW__Limits__MaxConnectionsPerIp"] = MaxConnectionsPerIp.ToString();
        Inner = new ServerFixture(new ServerProcess(settings, LineClient.ProxyV1("127.0.0.1")));
        await Inner.InitializeAsync();
        (HaproxyV1Port, HaproxyV2Port) = (ports[1], ports[2]);
        await StartHaproxyAsync();
    }

    /// <summary>Connects as if from <paramref name="address"/> (PROXY v1), reads the greeting and switches to TLS with STLS.</summary>
    public async Task<LineClient> ConnectTlsAsync(string address)
    {
        var client = await LineClient.ConnectAsync(Pop3Port, LineClient.ProxyV1(address));
        Assert.StartsWith("+OK", await client.ReadLineAsync());
        Assert.StartsWith("+OK", await client.CommandAsync("STLS"));
        await client.StartTlsAsync(Certificate.CertificatePath);
        return client;
    }

    public async Task DisposeAsync()
    {
        if (_haproxy is { HasExited: false } haproxy)
        {
            haproxy.Kill();
            await haproxy.WaitForExitAsync();
        }
        _haproxy?.Dispose();
        await Inner.DisposeAsync();
    }

    private async Task StartHaproxyAsync()
    {
        var haproxy = ExternalTool.Require("haproxy", "haproxy");
        var directory = Inner.NewScratchDirectory("haproxy");
        var config = Path.Combine(directory, "haproxy.cfg");
        await File.WriteAllTextAsync(config, $"""
            global
                maxconn 200
            defaults
                mode tcp
                timeout connect 10s
                timeout client 120s
                timeout server 120s
            frontend pop3_v1
                bind 127.0.0.1:{HaproxyV1Port}
                default_backend gateway_v1
            backend gateway_v1
                server gw 127.0.0.1:{Pop3Port} send-proxy
            frontend pop3_v2
                bind 127.0.0.1:{HaproxyV2Port}
                default_backend gateway_v2
            backend gateway_v2
                server gw 127.0.0.1:{Pop3Port} send-proxy-v2

            """);
        var info = new ProcessStartInfo(haproxy)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var argument in new[] { "-f", config, "-db" })
        {
            info.ArgumentList.Add(argument);
        }
        _haproxy = Process.Start(info) ?? throw new InvalidOperationException("haproxy did not start");
        _haproxy.OutputDataReceived += (_, _) => { };
        _haproxy.ErrorDataReceived += (_, _) => { };
        _haproxy.BeginOutputReadLine();
        _haproxy.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        foreach (var port in new[] { HaproxyV1Port, HaproxyV2Port })
        {
            while (true)
            {
                try
                {
                    using var probe = new TcpClient();
                    await probe.ConnectAsync("127.0.0.1", port);
                    break;
                }
                catch (SocketException) when (DateTime.UtcNow < deadline && !_haproxy.HasExited)
                {
                    await Task.Delay(200);
                }
            }
        }
    }
}
