namespace Pop3Gateway.Frontend.Pop3;

/// <summary>
/// One timer per connection for a wait that may run out: armed before the wait, disarmed when it ends, and
/// told apart from a timer that fired just after the wait had ended (that wait was on time).
/// </summary>
internal sealed class ArmedTimer : IDisposable
{
    private const int Disarmed = 0;
    private const int Armed = 1;
    private const int Fired = 2;

    private readonly ITimer _timer;
    private readonly Action _expired;
    private int _state;

    /// <param name="expired">Ends the wait; runs on the timer's thread, at most once per arming.</param>
    public ArmedTimer(TimeProvider time, Action expired)
    {
        _expired = expired;
        _timer = time.CreateTimer(static self => ((ArmedTimer)self!).Expire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Starts the clock for the next wait; a negative timeout runs out at once.</summary>
    public void Arm(TimeSpan timeout)
    {
        Volatile.Write(ref _state, Armed);
        _timer.Change(timeout > TimeSpan.Zero ? timeout : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Stops the clock when the wait ended; true when it had run out.</summary>
    public bool Disarm()
    {
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return Interlocked.Exchange(ref _state, Disarmed) == Fired;
    }

    /// <summary>Ends an armed wait now, as if the time had run out.</summary>
    public void Expire()
    {
        if (Interlocked.CompareExchange(ref _state, Fired, Armed) == Armed)
        {
            _expired();
        }
    }

    public void Dispose() => _timer.Dispose();
}
