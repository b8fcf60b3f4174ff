using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Pop3Gateway.Abstractions.Frontends;
using Pop3Gateway.Frontend.Sessions;

namespace Pop3Gateway.Frontend.Tests;

/// <summary>The front-end's beats against a real front-end grain, on fake time: when it fences and when it stops fencing.</summary>
[Collection(FrontendCollection.Name)]
public sealed class FrontendHeartbeatTests(FrontendFixture fixture)
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private readonly FakeTimeProvider _time = new();

    private readonly FrontendSessions _sessions = new(Options.Create(new SessionLivenessOptions()));

    private TimeSpan FenceAfter => _sessions.Options.FenceAfter;

    [Fact]
    public async Task BeatAsync_EachGoodBeat_MovesTheFenceDeadlineOn()
    {
        using var heartbeat = NewHeartbeat();

        await heartbeat.BeatAsync(CancellationToken.None);
        _time.Advance(FenceAfter - Second);
        await heartbeat.BeatAsync(CancellationToken.None);
        _time.Advance(FenceAfter - Second);

        Assert.False(_sessions.Fenced);
        Assert.True(await fixture.Grains.GetGrain<IFrontendGrain>(_sessions.FrontendId).IsAlive());
        _time.Advance(2 * Second);
        Assert.True(_sessions.Fenced);
    }

    [Fact]
    public async Task ReadyAsync_FencedWithoutABeat_BeatsNowAndLiftsTheFence()
    {
        using var heartbeat = NewHeartbeat();

        _time.Advance(FenceAfter);
        Assert.True(_sessions.Fenced);

        Assert.True(await _sessions.ReadyAsync(CancellationToken.None));
        Assert.False(_sessions.Fenced);
    }

    private FrontendHeartbeat NewHeartbeat() => new(fixture.Grains, _sessions, _time, NullLogger<FrontendHeartbeat>.Instance);
}
