using Pop3Gateway.Abstractions.Security;
using Pop3Gateway.Grains.Security;

namespace Pop3Gateway.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class LoginThrottleGrainTests(ClusterFixture fixture)
{
    private static readonly ThrottlePolicy Policy = new(
        TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(15), BanAfterFailures: 6, BanWindow: TimeSpan.FromMinutes(10), BanDuration: TimeSpan.FromMinutes(15));

    private ILoginThrottleGrain Grain() => fixture.Grains.GetGrain<ILoginThrottleGrain>(ILoginThrottleGrain.ForAddress("192.0.2." + Random.Shared.Next(1, 250) + "-" + Guid.NewGuid()));

    [Fact]
    public async Task RecordFailure_InARow_DelayDoublesFromTwoToFifteenSeconds()
    {
        var grain = Grain();
        var delays = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            delays.Add((await grain.RecordFailure(Policy)).Delay.TotalSeconds);
        }

        Assert.Equal([2, 4, 8, 15, 15], delays);
    }

    [Fact]
    public async Task RecordSuccess_AfterFailures_DelayStartsOver()
    {
        var grain = Grain();
        await grain.RecordFailure(Policy);
        await grain.RecordFailure(Policy);
        await grain.RecordSuccess();

        Assert.Equal(TimeSpan.FromSeconds(2), (await grain.RecordFailure(Policy)).Delay);
    }

    [Fact]
    public async Task RecordFailure_ThresholdReached_BannedAndCheckSaysSo()
    {
        var grain = Grain();
        for (var i = 1; i < Policy.BanAfterFailures; i++)
        {
            Assert.Null((await grain.RecordFailure(Policy)).BannedUntil);
        }
        Assert.Null((await grain.Check(Policy)).BannedUntil);

        var banned = await grain.RecordFailure(Policy);

        Assert.NotNull(banned.BannedUntil);
        Assert.True(banned.BannedUntil > fixture.Clock.GetUtcNow() + TimeSpan.FromMinutes(10));
        Assert.Equal(banned.BannedUntil, (await grain.Check(Policy)).BannedUntil);
        await grain.RecordSuccess();
        Assert.NotNull((await grain.Check(Policy)).BannedUntil);
    }

    [Fact]
    public async Task Ban_AfterItsDuration_Lifted()
    {
        var grain = Grain();
        var shortBan = Policy with { BanAfterFailures = 2, BanDuration = TimeSpan.FromSeconds(1) };
        await grain.RecordFailure(shortBan);
        Assert.NotNull((await grain.RecordFailure(shortBan)).BannedUntil);

        fixture.Clock.Advance(shortBan.BanDuration + TimeSpan.FromMilliseconds(1));

        Assert.Null((await grain.Check(shortBan)).BannedUntil);
    }

    [Fact]
    public void Delay_NoFailuresOrNoDelayConfigured_Zero()
    {
        Assert.Equal(TimeSpan.Zero, LoginThrottleGrain.Delay(Policy, 0));
        Assert.Equal(TimeSpan.Zero, LoginThrottleGrain.Delay(Policy with { FirstDelay = TimeSpan.Zero }, 3));
        Assert.Equal(TimeSpan.FromSeconds(15), LoginThrottleGrain.Delay(Policy, 1000));
    }
}
