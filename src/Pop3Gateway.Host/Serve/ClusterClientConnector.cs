using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pop3Gateway.Host.Management;

namespace Pop3Gateway.Host.Serve;

/// <summary>
/// Starts the Orleans client without holding up the host: the management port answers (live, not ready)
/// and the listeners run while the client keeps trying to reach a gateway.
/// </summary>
internal sealed partial class ClusterClientConnector(IHostedService client, GatewayReachability reachability, ILogger<ClusterClientConnector> logger)
    : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _connecting = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _connecting = Task.Run(ConnectAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task ConnectAsync()
    {
        try
        {
            await client.StartAsync(_stopping.Token);
            Connected(logger, reachability.ConnectedGateways);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            ConnectFailed(logger, e);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _connecting;
        await client.StopAsync(cancellationToken);
    }

    public void Dispose() => _stopping.Dispose();

    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Connected to the cluster ({Gateways} gateways)")]
    private static partial void Connected(ILogger logger, int gateways);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Error, Message = "The cluster client gave up connecting")]
    private static partial void ConnectFailed(ILogger logger, Exception exception);
}
