using Pop3Gateway.Abstractions.Security;

namespace Pop3Gateway.Grains.Security;

/// <summary>
/// Counts failed logins for one key. The delay doubles with each failure in a row, from
/// <see cref="ThrottlePolicy.FirstDelay"/> up to <see cref="ThrottlePolicy.MaxDelay"/>; reaching
/// <see cref="ThrottlePolicy.BanAfterFailures"/> failures within <see cref="ThrottlePolicy.BanWindow"/>
/// bans the key for <see cref="ThrottlePolicy.BanDuration"/>.
/// </summary>
public sealed class LoginThrottleGrain(TimeProvider timeProvider) : Grain, ILoginThrottleGrain
{
    /// <summary>Failure times remembered at most; bounds memory under a flood.</summary>
    private const int MaxRemembered = 1024;

    private readonly Queue<DateTimeOffset> _failures = new();
    private int _failuresInARow;
    private DateTimeOffset? _bannedUntil;

    public Task<ThrottleStatus> Check(ThrottlePolicy policy)
    {
        var now = timeProvider.GetUtcNow();
        return Task.FromResult(new ThrottleStatus(TimeSpan.Zero, ActiveBan(now)));
    }

    public Task<ThrottleStatus> RecordFailure(ThrottlePolicy policy)
    {
        var now = timeProvider.GetUtcNow();
        _failuresInARow++;
        _failures.Enqueue(now);
        while (_failures.Count > MaxRemembered || (_failures.Count > 0 && now - _failures.Peek() > policy.BanWindow))
        {
            _failures.Dequeue();
        }

        if (policy.BanAfterFailures > 0 && _failures.Count >= policy.BanAfterFailures && ActiveBan(now) is null)
        {
            _bannedUntil = now + policy.BanDuration;
            _failures.Clear();
        }

        return Task.FromResult(new ThrottleStatus(Delay(policy, _failuresInARow), ActiveBan(now)));
    }

    public Task RecordSuccess()
    {
        _failuresInARow = 0;
        return Task.CompletedTask;
    }

    /// <summary>FirstDelay × 2^(n−1), capped at MaxDelay.</summary>
    public static TimeSpan Delay(ThrottlePolicy policy, int failuresInARow)
    {
        if (failuresInARow <= 0 || policy.FirstDelay <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        var doublings = Math.Min(failuresInARow - 1, 30);
        var ticks = Math.Min(policy.FirstDelay.Ticks * (1L << doublings), policy.MaxDelay.Ticks);
        return TimeSpan.FromTicks(Math.Max(ticks, 0));
    }

    private DateTimeOffset? ActiveBan(DateTimeOffset now) => _bannedUntil is { } until && until > now ? until : null;
}
