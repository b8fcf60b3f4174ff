using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Grains.Security;
using Pop3Gateway.Host.Configuration;
using Pop3Gateway.Host.Configuration.Cluster;

namespace Pop3Gateway.Host.Cli;

/// <summary>
/// An Orleans client connected to the running cluster's gateway, for admin commands: it connects with the
/// admin certificate and signs every call with its key (<see cref="AdminToken"/>), so the grains know who
/// changes what. Without a readable admin credential nothing is sent.
/// </summary>
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
        var storage = StorageSettings.From(builder.Configuration);
        var tls = AdminCredential(ClusterSettings.From(builder.Configuration), storage);
        builder.UseOrleansClient(client =>
        {
            StorageRegistration.AddClustering(client, storage, orleans);
            tls.Apply(client);
            var signer = new AdminToken.Signer(tls.Certificate);
            client.AddOutgoingGrainCallFilter(context =>
            {
                RequestContext.Set(AdminToken.ContextKey, signer.TokenAt(DateTimeOffset.UtcNow));
                return context.Invoke();
            });
        });
        StorageRegistration.AddBodyStore(builder.Services, storage);
        var unreachable = storage.Provider == StorageProvider.Embedded
            ? $"cannot reach the cluster gateway at 127.0.0.1:{orleans.GatewayPort} (is 'pop3gw serve' running?)"
            : $"cannot reach a gateway of cluster '{orleans.ClusterId}' (is 'pop3gw serve' running, and the storage reachable?)";
        var host = builder.Build();
        // The Orleans client keeps retrying a closed port for minutes; an operator wants the answer now.
        try
        {
            if (storage.Provider == StorageProvider.Embedded)
            {
                await ProbeGatewayAsync(System.Net.IPAddress.Loopback, orleans.GatewayPort, unreachable, cancellationToken);
            }
            else
            {
                await ProbeRegisteredGatewaysAsync(host.Services, unreachable, cancellationToken);
            }
        }
        catch
        {
            host.Dispose();
            throw;
        }
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

    private static ClusterTls AdminCredential(ClusterSettings settings, StorageSettings storage)
    {
        try
        {
            return ClusterTls.Admin(settings.Files(storage));
        }
        catch (ClusterCredentialException e)
        {
            throw new ClusterUnreachableException(e.Message, e);
        }
    }

    /// <summary>How long connecting to the cluster may take before the command gives up.</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Reads the gateways the membership table lists as active and probes them; none answering is an error.</summary>
    private static async Task ProbeRegisteredGatewaysAsync(IServiceProvider services, string unreachable, CancellationToken cancellationToken)
    {
        IList<Uri> gateways;
        try
        {
            var provider = services.GetRequiredService<Orleans.Messaging.IGatewayListProvider>();
            await provider.InitializeGatewayListProvider();
            gateways = await provider.GetGateways();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ClusterUnreachableException($"{unreachable}: {e.Message}", e);
        }
        if (gateways.Count == 0)
        {
            throw new ClusterUnreachableException($"{unreachable}: no active gateway is registered");
        }
        var failures = new List<string>();
        foreach (var gateway in gateways)
        {
            if (!System.Net.IPAddress.TryParse(gateway.Host, out var address))
            {
                failures.Add($"{unreachable}: gateway '{gateway}' is not an IP endpoint");
                continue;
            }
            try
            {
                await ProbeGatewayAsync(address, gateway.Port, unreachable, cancellationToken);
                return;
            }
            catch (ClusterUnreachableException e)
            {
                failures.Add(e.Message);
            }
        }
        throw new ClusterUnreachableException(failures[^1]);
    }

    private static async Task ProbeGatewayAsync(System.Net.IPAddress address, int port, string unreachable, CancellationToken cancellationToken)
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await socket.ConnectAsync(address, port, timeout.Token);
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
