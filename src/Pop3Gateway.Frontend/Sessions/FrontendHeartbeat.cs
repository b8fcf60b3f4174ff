using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pop3Gateway.Abstractions.Frontends;

namespace Pop3Gateway.Frontend.Sessions;

/// <summary>
/// Beats this front-end's <see cref="IFrontendGrain"/> every <see cref="SessionLivenessOptions.HeartbeatInterval"/>
/// and hands it the observer of <see cref="FrontendSessions"/>. When no beat has succeeded for
/// <see cref="SessionLivenessOptions.FenceAfter"/> (counted from when the last good beat was sent, so before the
/// cluster can count this front-end dead), it fences: the sessions end without committing, until a beat succeeds.
/// </summary>
public sealed partial class FrontendHeartbeat : BackgroundService
{
    private readonly IGrainFactory _grains;
    private readonly FrontendSessions _sessions;
    private readonly TimeProvider _time;
    private readonly ILogger<FrontendHeartbeat> _logger;
    private readonly SessionLivenessOptions _options;
    private readonly ITimer _fence;
    private readonly SemaphoreSlim _beating = new(1, 1);
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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var ticks = new PeriodicTimer(_options.HeartbeatInterval, _time);
        do
        {
            await BeatAsync(stoppingToken);
        }
        while (await ticks.WaitForNextTickAsync(stoppingToken));
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

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        _fence.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (_observer is { } observer)
        {
            _grains.DeleteObjectReference<IFrontendObserver>(observer);
        }
    }

    public override void Dispose()
    {
        _fence.Dispose();
        _beating.Dispose();
        base.Dispose();
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
