using Microsoft.Extensions.Time.Testing;

namespace Pop3Gateway.Frontend.Tests;

/// <summary>
/// Fake time that also counts the timers the code under test starts, so a test moves the clock only
/// once that code is waiting (a clock moved before the timer starts would not count).
/// </summary>
public sealed class ObservedTimeProvider : TimeProvider
{
    private readonly FakeTimeProvider _fake = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<TimeSpan, int> _starts = [];
    private TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

    public override long GetTimestamp() => _fake.GetTimestamp();

    public override long TimestampFrequency => _fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => _fake.LocalTimeZone;

    public void Advance(TimeSpan delta) => _fake.Advance(delta);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ObservedTimer(_fake.CreateTimer(callback, state, dueTime, period), this);
        Started(dueTime);
        return timer;
    }

    /// <summary>Waits until timers were started, in all, <paramref name="count"/> times to run out after <paramref name="dueTime"/>.</summary>
    public async Task WaitForTimerStartsAsync(TimeSpan dueTime, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            Task started;
            lock (_lock)
            {
                if (_starts.GetValueOrDefault(dueTime) >= count)
                {
                    return;
                }
                started = _started.Task;
            }
            await started.WaitAsync(timeout.Token);
        }
    }

    private void Started(TimeSpan dueTime)
    {
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            return;
        }
        TaskCompletionSource previous;
        lock (_lock)
        {
            _starts[dueTime] = _starts.GetValueOrDefault(dueTime) + 1;
            previous = _started;
            _started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        previous.TrySetResult();
    }

    private sealed class ObservedTimer(ITimer timer, ObservedTimeProvider time) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = timer.Change(dueTime, period);
            time.Started(dueTime);
            return changed;
        }

        public void Dispose() => timer.Dispose();

        public ValueTask DisposeAsync() => timer.DisposeAsync();
    }
}
