using System.IO.Pipelines;
using Microsoft.Extensions.Time.Testing;
using Pop3Gateway.Frontend.Pop3;

namespace Pop3Gateway.Frontend.Tests;

public sealed class IdleTimerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Arm_SilentForTheTimeout_CancelsTheReadAndDisarmSaysFired()
    {
        var time = new FakeTimeProvider();
        var pipe = new Pipe();
        using var idle = new IdleTimer(pipe.Reader, time, CancellationToken.None);
        idle.Arm(Timeout);
        var read = pipe.Reader.ReadAsync();

        time.Advance(Timeout - TimeSpan.FromSeconds(1));
        Assert.False(read.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.True((await read).IsCanceled);
        Assert.True(idle.Disarm());
    }

    [Fact]
    public async Task Disarm_DataBeforeTheTimeout_TimerNeverFires()
    {
        var time = new FakeTimeProvider();
        var pipe = new Pipe();
        using var idle = new IdleTimer(pipe.Reader, time, CancellationToken.None);
        idle.Arm(Timeout);
        await pipe.Writer.WriteAsync("NOOP\r\n"u8.ToArray());

        var read = await pipe.Reader.ReadAsync();
        var fired = idle.Disarm();
        pipe.Reader.AdvanceTo(read.Buffer.End);
        time.Advance(2 * Timeout);

        Assert.False(read.IsCanceled);
        Assert.False(fired);
        Assert.False(idle.Disarm());
    }

    [Fact]
    public async Task DrainDeadline_Passes_EndsTheWaitingRead()
    {
        var time = new FakeTimeProvider();
        var pipe = new Pipe();
        using var deadline = new CancellationTokenSource();
        using var idle = new IdleTimer(pipe.Reader, time, deadline.Token);
        idle.Arm(Timeout);
        var read = pipe.Reader.ReadAsync();
        Assert.False(idle.DeadlinePassed);

        await deadline.CancelAsync();

        Assert.True((await read).IsCanceled);
        Assert.True(idle.DeadlinePassed);
    }
}
