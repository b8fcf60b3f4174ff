using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Pop3Gateway.Abstractions.Security;
using Pop3Gateway.Frontend.Security;
using Pop3Gateway.Protocol.Backend;

namespace Pop3Gateway.Frontend.Tests.Security;

/// <summary>Ban verdicts a front-end learned from the throttle grains, reused for a short while by its connections.</summary>
[Collection(FrontendCollection.Name)]
public sealed class LoginGuardTests(FrontendFixture fixture)
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    private ConnectionSecurity? _security;

    private ConnectionSecurity Security => _security ??= new(
        new SecurityOptions { TrustedNetworks = "", FailureDelay = TimeSpan.Zero, BanAfterFailures = 2 }, new LimitsOptions(), null, _time);

    [Fact]
    public async Task IsBanned_BanFromAnotherFrontend_SeenOnceTheVerdictIsOlderThanItsReuse()
    {
        var group = Group();
        Assert.False(await Guard(group).IsBannedAsync(CancellationToken.None));

        // Another front-end's failures ban the address.
        var address = fixture.Grains.GetGrain<ILoginThrottleGrain>(ILoginThrottleGrain.ForAddress(group));
        await address.RecordFailure(Security.Policy);
        Assert.NotNull((await address.RecordFailure(Security.Policy)).BannedUntil);

        // A new connection within the reuse window gets the verdict learned before, without a grain call.
        _time.Advance(BanVerdicts.Reuse - TimeSpan.FromMilliseconds(1));
        Assert.False(await Guard(group).IsBannedAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await Guard(group).IsBannedAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Failed_BanItStarts_HoldsAtOnceForEveryConnectionOfTheGroup()
    {
        var group = Group();
        var attacker = Guard(group);
        var waiting = Guard(group);
        Assert.False(await attacker.IsBannedAsync(CancellationToken.None));
        Assert.False(await waiting.IsBannedAsync(CancellationToken.None));

        Assert.Equal(LoginFailure.Credentials, await attacker.FailedAsync(Login(), CancellationToken.None));
        Assert.Equal(LoginFailure.Blocked, await attacker.FailedAsync(Login(), CancellationToken.None));

        Assert.True(await attacker.IsBannedAsync(CancellationToken.None));
        Assert.True(await waiting.IsBannedAsync(CancellationToken.None));
        Assert.False(await Guard(Group()).IsBannedAsync(CancellationToken.None));
    }

    [Fact]
    public async Task IsBanned_Trusted_NeverAsks()
    {
        var group = Group();
        var address = fixture.Grains.GetGrain<ILoginThrottleGrain>(ILoginThrottleGrain.ForAddress(group));
        await address.RecordFailure(Security.Policy);
        await address.RecordFailure(Security.Policy);

        var guard = new LoginGuard(fixture.Grains, Security, group, group, throttled: false, _time, NullLogger.Instance);

        Assert.False(await guard.IsBannedAsync(CancellationToken.None));
    }

    [Fact]
    public void Verdicts_SlotTakenByAnotherGroup_AnswersNothing()
    {
        var verdicts = new BanVerdicts(_time);
        verdicts.Learn("a", null);
        Assert.False(verdicts.TryGetBanned("a"));

        // Find a group that lands in the same slot: it replaces the first, which is then unknown again.
        var rival = Enumerable.Range(0, 1_000_000).Select(i => "g" + i)
            .First(g => (uint)StringComparer.Ordinal.GetHashCode(g) % BanVerdicts.Slots == (uint)StringComparer.Ordinal.GetHashCode("a") % BanVerdicts.Slots);
        verdicts.Learn(rival, _time.GetUtcNow().AddMinutes(5));

        Assert.Null(verdicts.TryGetBanned("a"));
        Assert.True(verdicts.TryGetBanned(rival));
    }

    private LoginGuard Guard(string group) => new(fixture.Grains, Security, group, group, throttled: true, _time, NullLogger.Instance);

    /// <summary>An address group of its own per test (the throttle grains outlive a test).</summary>
    private static string Group() => "guard-" + Guid.NewGuid().ToString("N");

    private static string Login() => "guard" + Guid.NewGuid().ToString("N")[..8];
}
