using System.IO.Pipelines;

namespace Pop3Gateway.Frontend.Pop3;

/// <summary>
/// The autologout clock of one connection, and the drain deadline as it sees it: one timer, armed
/// before each read and disarmed when the read returns, that cancels the pending read when the client
/// stays silent too long; the drain deadline ends a waiting read the same way. It replaces a linked
/// CancellationTokenSource (and its timer) per read, which an idle connection held all the time it waited.
/// </summary>
internal sealed class IdleTimer : IDisposable
{
    private const int Disarmed = 0;
    private const int Armed = 1;
    private const int Fired = 2;

    private readonly ITimer _timer;
    private readonly CancellationToken _deadline;
    private readonly CancellationTokenRegistration _draining;
    private PipeReader _input;
    private int _state;

    /// <param name="deadline">Cancelled when the drain after SIGTERM is over; <see cref="CancellationToken.None"/> without one.</param>
    public IdleTimer(PipeReader input, TimeProvider time, CancellationToken deadline)
    {
        _input = input;
        _deadline = deadline;
        _timer = time.CreateTimer(static self => ((IdleTimer)self!).Expire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _draining = deadline.CanBeCanceled ? deadline.UnsafeRegister(static self => ((IdleTimer)self!).Expire(), this) : default;
    }

    /// <summary>The drain is over: sessions still open must end now.</summary>
    public bool DeadlinePassed => _deadline.IsCancellationRequested;

    /// <summary>After STLS the reads come from the TLS pipe.</summary>
    public void Watch(PipeReader input) => _input = input;

    /// <summary>Starts the clock for the next read.</summary>
    public void Arm(TimeSpan timeout)
    {
        Volatile.Write(ref _state, Armed);
        _timer.Change(timeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Stops the clock when a read returned; true when it had run out. A read that returns as
    /// cancelled while this says false was cancelled by a timer that fired just after the data came:
    /// it is an ordinary read.
    /// </summary>
    public bool Disarm()
    {
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return Interlocked.Exchange(ref _state, Disarmed) == Fired;
    }

    public void Dispose()
    {
        _draining.Dispose();
        _timer.Dispose();
    }

    /// <summary>Ends a waiting read now, as if the time had run out (the timer's callback; also the drain deadline).</summary>
    private void Expire()
    {
        if (Interlocked.CompareExchange(ref _state, Fired, Armed) == Armed)
        {
            _input.CancelPendingRead();
        }
    }
}
