using System.IO.Pipelines;
using System.Threading.Tasks.Sources;
using Pop3Gateway.Frontend.Pop3;

namespace Pop3Gateway.Frontend.Tests;

/// <summary>The write deadline's flush with writers whose flushes are pooled, as the TLS stream's pipe writer is.</summary>
public sealed class WriteDeadlineTests
{
    /// <summary>
    /// A writer whose flush completes at once through one reused source, like a pooled async method's box:
    /// each result can be read once, and reading it again (or after the next flush) throws.
    /// </summary>
    private sealed class PooledFlushWriter : PipeWriter, IValueTaskSource<FlushResult>
    {
        private ManualResetValueTaskSourceCore<FlushResult> _core;

        public bool CancelNext { get; set; }

        public int Flushes { get; private set; }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            Flushes++;
            _core.Reset();
            _core.SetResult(new FlushResult(isCanceled: CancelNext, isCompleted: false));
            CancelNext = false;
            return new ValueTask<FlushResult>(this, _core.Version);
        }

        public FlushResult GetResult(short token)
        {
            var result = _core.GetResult(token);
            // Back to the pool: the next use gets a new version, and the old token is no longer valid.
            _core.Reset();
            return result;
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);

        public override void Advance(int bytes)
        {
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => new byte[Math.Max(sizeHint, 16)];

        public override Span<byte> GetSpan(int sizeHint = 0) => new byte[Math.Max(sizeHint, 16)];

        public override void CancelPendingFlush()
        {
        }

        public override void Complete(Exception? exception = null)
        {
        }
    }

    [Fact]
    public async Task FlushAsync_PooledFlushCompletedAtOnce_AwaitedWithoutReusingIt()
    {
        using var deadline = new WriteDeadline(TimeProvider.System, () => TimeSpan.FromSeconds(30));
        var inner = new PooledFlushWriter();
        var output = deadline.Guard(inner);

        var first = await output.FlushAsync();
        var second = await output.FlushAsync();

        Assert.False(first.IsCanceled);
        Assert.False(second.IsCanceled);
        Assert.Equal(2, inner.Flushes);
    }

    [Fact]
    public async Task FlushAsync_PooledFlushCancelledByAnEarlierTimer_FlushedAgain()
    {
        using var deadline = new WriteDeadline(TimeProvider.System, () => TimeSpan.FromSeconds(30));
        var inner = new PooledFlushWriter { CancelNext = true };
        var output = deadline.Guard(inner);

        var result = await output.FlushAsync();

        Assert.False(result.IsCanceled);
        Assert.Equal(2, inner.Flushes);
    }
}
