using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pop3Gateway.Abstractions.Frontends;

namespace Pop3Gateway.Frontend.Sessions;

/// <summary>
/// Beats this front-end's <see cref="IFrontendGrain"/> every <see cref="SessionLivenessOptions.HeartbeatInterval"/>
/// and hands it the observer of <see cref="FrontendSessions"/>. When no beat has succeeded for
/// <see cref="SessionLivenessOptions.FenceAfter"/> (counted from when the last good beat was sent, so before the
/// cluster can count this front-end dead), it fences: the sessions end without committing, until a beat succeeds.
/// It beats on through shutdown, while the drain lets sessions finish, and stops only when the host is disposed.
/// </summary>
public sealed partial class FrontendHeartbeat : IHostedService, IDisposable
{
    private readonly IGrainFactory _grains;
    private readonly FrontendSessions _sessions;
    private readonly TimeProvider _time;
    private readonly ILogger<FrontendHeartbeat> _logger;
    private readonly SessionLivenessOptions _options;
    private readonly ITimer _fence;
    private readonly SemaphoreSlim _beating = new(1, 1);
    private readonly CancellationTokenSource _disposed = new();
    private IFrontendObserver? _observer;

    public FrontendHeartbeat(IGrainFactory grains, FrontendSessions sessions, TimeProvider time, ILogger<FrontendHeartbeat> logger)
    {
        _grains = grains;
        _sessions = sessions;
        _time = time;
        _logger = logger;
        _options = sessions.Options;
        // Starting counts as a beat: the cluster cannot have judged a front-end that did not exist yet.
        _fence = time.CreateTimer(static self => ((FrontendHeartbeat)self!).Fence(), this, _options.FenceAfter, Timeout.InfiniteTimeSpan);
        sessions.BeatNow = BeatAsync;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = BeatLoopAsync(_disposed.Token);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Beats go on: sessions draining after SIGTERM still hold leases, and a front-end that stopped beating would
    /// lose them to the next login while it serves them.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task BeatLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var ticks = new PeriodicTimer(_options.HeartbeatInterval, _time);
            do
            {
                await BeatAsync(stoppingToken);
            }
            while (await ticks.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One beat, waited for at most one heartbeat interval; a good one moves the fence deadline on.</summary>
    public async Task BeatAsync(CancellationToken cancellationToken)
    {
        await _beating.WaitAsync(cancellationToken);
        try
        {
            var sent = _time.GetTimestamp();
            _observer ??= _grains.CreateObjectReference<IFrontendObserver>(_sessions);
            await _grains.GetGrain<IFrontendGrain>(_sessions.FrontendId).Beat(_observer)
                .WaitAsync(_options.HeartbeatInterval, _time, cancellationToken);
            var left = _options.FenceAfter - _time.GetElapsedTime(sent);
            _fence.Change(left > TimeSpan.Zero ? left : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            if (_sessions.Fenced && left > TimeSpan.Zero)
            {
                _sessions.Unfence();
                Resumed(_logger, _sessions.FrontendId);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            BeatFailed(_logger, _sessions.FrontendId, e.Message);
        }
        finally
        {
            _beating.Release();
        }
    }

    public void Dispose()
    {
        // Called twice: the container disposes the singleton and the hosted service it made from the same instance.
        if (_disposed.IsCancellationRequested)
        {
            return;
        }
        _disposed.Cancel();
        _fence.Dispose();
        if (_observer is { } observer)
        {
            try
            {
                _grains.DeleteObjectReference<IFrontendObserver>(observer);
            }
            catch (ObjectDisposedException)
            {
                // The cluster client went first; the reference went with it.
            }
        }
        _disposed.Dispose();
    }

    private void Fence()
    {
        if (_sessions.Fenced)
        {
            return;
        }
        Fenced(_logger, _sessions.FrontendId, _options.FenceAfter);
        _sessions.Fence();
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Debug, Message = "Front-end {Frontend}: heartbeat failed: {Error}")]
    private static partial void BeatFailed(ILogger logger, string frontend, string error);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning,
        Message = "Front-end {Frontend}: no heartbeat reached the cluster for {FenceAfter}; ending its sessions without committing, refusing logins")]
    private static partial void Fenced(ILogger logger, string frontend, TimeSpan fenceAfter);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Information, Message = "Front-end {Frontend}: heartbeats reach the cluster again; serving logins")]
    private static partial void Resumed(ILogger logger, string frontend);
}
