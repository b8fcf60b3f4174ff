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
    private readonly ArmedTimer _timer;
    private readonly CancellationToken _deadline;
    private readonly CancellationTokenRegistration _draining;
    private PipeReader _input;

    /// <param name="deadline">Cancelled when the drain after SIGTERM is over; <see cref="CancellationToken.None"/> without one.</param>
    public IdleTimer(PipeReader input, TimeProvider time, CancellationToken deadline)
    {
        _input = input;
        _deadline = deadline;
        _timer = new ArmedTimer(time, () => _input.CancelPendingRead());
        _draining = deadline.CanBeCanceled ? deadline.UnsafeRegister(static timer => ((ArmedTimer)timer!).Expire(), _timer) : default;
    }

    /// <summary>The drain is over: sessions still open must end now.</summary>
    public bool DeadlinePassed => _deadline.IsCancellationRequested;

    /// <summary>After STLS the reads come from the TLS pipe.</summary>
    public void Watch(PipeReader input) => _input = input;

    /// <summary>Starts the clock for the next read.</summary>
    public void Arm(TimeSpan timeout) => _timer.Arm(timeout);

    /// <summary>
    /// Stops the clock when a read returned; true when it had run out. A read that returns as
    /// cancelled while this says false was cancelled by a timer that fired just after the data came:
    /// it is an ordinary read.
    /// </summary>
    public bool Disarm() => _timer.Disarm();

    public void Dispose()
    {
        _draining.Dispose();
        _timer.Dispose();
    }
}
