using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Host.Configuration;

namespace Pop3Gateway.Host.Cli;

/// <summary>An Orleans client connected to the running cluster's gateway, for admin commands.</summary>
public sealed class AdminClient : IAsyncDisposable
{
    private readonly IHost _host;

    private AdminClient(IHost host)
    {
        _host = host;
        Grains = host.Services.GetRequiredService<IClusterClient>();
        Bodies = host.Services.GetRequiredService<IBodyStore>();
    }

    public IClusterClient Grains { get; }

    public IBodyStore Bodies { get; }

    public static async Task<AdminClient> ConnectAsync(IReadOnlyDictionary<string, string?> overrides, CancellationToken cancellationToken)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        GatewayConfiguration.AddSources(builder.Configuration, overrides);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Critical);
        var orleans = OrleansSettings.From(builder.Configuration);
        builder.UseOrleansClient(client => client.UseLocalhostClustering(orleans.GatewayPort, orleans.ServiceId, orleans.ClusterId));
        StorageRegistration.AddBodyStore(builder.Services, StorageSettings.From(builder.Configuration));
        var unreachable = $"cannot reach the cluster gateway at 127.0.0.1:{orleans.GatewayPort} (is 'pop3gw serve' running?)";
        // The Orleans client keeps retrying a closed port for minutes; an operator wants the answer now.
        await ProbeGatewayAsync(orleans.GatewayPort, unreachable, cancellationToken);
        var host = builder.Build();
        using var startTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        startTimeout.CancelAfter(ConnectTimeout);
        try
        {
            await host.StartAsync(startTimeout.Token);
        }
        catch (Exception e)
        {
            host.Dispose();
            throw new ClusterUnreachableException($"{unreachable}: {e.Message}", e);
        }
        return new AdminClient(host);
    }

    /// <summary>How long connecting to the cluster may take before the command gives up.</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(20);

    private static async Task ProbeGatewayAsync(int port, string unreachable, CancellationToken cancellationToken)
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await socket.ConnectAsync(System.Net.IPAddress.Loopback, port, timeout.Token);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or OperationCanceledException)
        {
            throw new ClusterUnreachableException($"{unreachable}: {e.Message}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(5));
        }
        finally
        {
            _host.Dispose();
        }
    }
}
