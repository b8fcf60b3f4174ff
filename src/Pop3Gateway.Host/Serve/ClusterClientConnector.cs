using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Pop3Gateway.Host.Management;

namespace Pop3Gateway.Host.Serve;

/// <summary>
/// Starts the Orleans client without holding up the host: the management port answers (live, not ready)
/// and the listeners run while the client keeps trying to reach a gateway. Once connected, it reconnects
/// a front-end whose gateways all went away: the client itself reconnects only when a call is made, and a
/// front-end that is not ready gets no calls.
/// </summary>
internal sealed partial class ClusterClientConnector(IClusterClient client, GatewayReachability reachability, ILogger<ClusterClientConnector> logger)
    : IHostedService, IDisposable
{
    /// <summary>How often a disconnected front-end makes a call that reconnects it.</summary>
    private static readonly TimeSpan ReconnectInterval = TimeSpan.FromSeconds(2);

    /// <summary>A reconnecting call that takes longer than this is abandoned; the next one follows.</summary>
    private static readonly TimeSpan ReconnectCallTimeout = TimeSpan.FromSeconds(5);

    private readonly IHostedService _hosted = (IHostedService)client;
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _running = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task RunAsync()
    {
        var stopping = _stopping.Token;
        try
        {
            await _hosted.StartAsync(stopping);
            Connected(logger, reachability.ConnectedGateways);
            using var timer = new PeriodicTimer(ReconnectInterval);
            while (await timer.WaitForNextTickAsync(stopping))
            {
                if (!reachability.IsReachable)
                {
                    await ReconnectAsync(stopping);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            ConnectFailed(logger, e);
        }
    }

    private async Task ReconnectAsync(CancellationToken stopping)
    {
        try
        {
            await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(ReconnectCallTimeout, stopping);
            Reconnected(logger, reachability.ConnectedGateways);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            // Still no gateway; the next tick tries again.
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _running;
        await _hosted.StopAsync(cancellationToken);
    }

    public void Dispose() => _stopping.Dispose();

    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Connected to the cluster ({Gateways} gateways)")]
    private static partial void Connected(ILogger logger, int gateways);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Error, Message = "The cluster client gave up connecting")]
    private static partial void ConnectFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Reconnected to the cluster ({Gateways} gateways)")]
    private static partial void Reconnected(ILogger logger, int gateways);
}
