using System.IO.Pipelines;

namespace Pop3Gateway.Frontend.Pop3;

/// <summary>
/// The write side's clock of one connection: a flush that waits longer than the timeout for the client to
/// read (the pipe is full because the client stopped reading) is cancelled and fails with
/// <see cref="ReplyNotReadException"/>, so a client that pipelines commands and never reads the replies
/// cannot hold a connection, its buffers or a mailbox lock. One timer, armed only while a flush waits.
/// </summary>
internal sealed class WriteDeadline : IDisposable
{
    private readonly ArmedTimer _timer;
    private readonly Func<TimeSpan> _timeout;
    private PipeWriter? _waiting;

    /// <param name="timeout">How long a flush may wait, asked each time one has to.</param>
    public WriteDeadline(TimeProvider time, Func<TimeSpan> timeout)
    {
        _timeout = timeout;
        _timer = new ArmedTimer(time, () => Volatile.Read(ref _waiting)?.CancelPendingFlush());
    }

    /// <summary>Wraps <paramref name="inner"/> so its flushes run against this deadline.</summary>
    public PipeWriter Guard(PipeWriter inner) => new GuardedWriter(inner, this);

    public void Dispose() => _timer.Dispose();

    private ValueTask<FlushResult> FlushAsync(PipeWriter inner, CancellationToken cancellationToken)
    {
        var flush = inner.FlushAsync(cancellationToken);
        if (!flush.IsCompletedSuccessfully)
        {
            return WaitAsync(inner, flush, cancellationToken);
        }
        // Reading Result consumes the ValueTask: a writer's pooled flush (the TLS stream's) may be reused at once,
        // so only the result travels on, never the ValueTask itself.
        var result = flush.Result;
        return result.IsCanceled
            ? WaitAsync(inner, inner.FlushAsync(cancellationToken), cancellationToken)
            : new ValueTask<FlushResult>(result);
    }

    private async ValueTask<FlushResult> WaitAsync(PipeWriter inner, ValueTask<FlushResult> flush, CancellationToken cancellationToken)
    {
        while (true)
        {
            Volatile.Write(ref _waiting, inner);
            _timer.Arm(_timeout());
            FlushResult result;
            bool fired;
            try
            {
                result = await flush;
            }
            finally
            {
                fired = _timer.Disarm();
            }
            if (fired)
            {
                throw new ReplyNotReadException();
            }
            if (!result.IsCanceled)
            {
                return result;
            }
            // Cancelled by a timer that fired just as an earlier flush completed: that flush was on time.
            flush = inner.FlushAsync(cancellationToken);
        }
    }

    private sealed class GuardedWriter(PipeWriter inner, WriteDeadline deadline) : PipeWriter
    {
        public override void Advance(int bytes) => inner.Advance(bytes);

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => deadline.FlushAsync(inner, cancellationToken);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes;
    }
}

/// <summary>The client did not read a reply within the timeout; the connection ends without another word.</summary>
internal sealed class ReplyNotReadException() : IOException("the client did not read its replies in time");
