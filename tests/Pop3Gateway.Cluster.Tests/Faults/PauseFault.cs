using System.Diagnostics;
using Pop3Gateway.Cluster.Tests.Infrastructure;

namespace Pop3Gateway.Cluster.Tests.Faults;

/// <summary>
/// A silo frozen with SIGSTOP (a long GC pause, a stalled VM) for longer than the front-end lease and than Orleans'
/// death verdict should take, then thawed with SIGCONT: its sockets stayed open and the grain calls queued on them are
/// still there. It must commit nothing for a mailbox whose grain was activated elsewhere meanwhile; declared dead, it
/// should stop itself, and is then started again for the audit. Whether it stopped is reported: on a loaded 2-silo
/// cluster the other silo may not cast the vote in time, and the thawed silo then rightly serves on.
/// </summary>
public sealed class PauseFault(LocalCluster cluster, string silo, TimeSpan pause) : IFault
{
    /// <summary>How long the thawed silo has to hear it was declared dead and stop.</summary>
    public static readonly TimeSpan StopsItselfBound = TimeSpan.FromSeconds(20);

    private int _pid;
    private TimeSpan? _stoppedAfter;

    public string Description => $"SIGSTOP {silo} {pause.TotalSeconds:F0} s";

    public TimeSpan Duration => pause;

    public bool StopsClocks => true;

    public string Outcome => _stoppedAfter is { } s
        ? $"thawed {silo} stopped itself after {s.TotalSeconds:F1} s and was started again"
        : $"thawed {silo} still ran {StopsItselfBound.TotalSeconds:F0} s after SIGCONT (not declared dead while frozen)";

    public string? Problem => null;

    public async Task BeginAsync() => _pid = await cluster.SignalAsync(silo, LocalCluster.SigStop);

    public Task InEffectAsync() => Task.CompletedTask;

    public async Task EndAsync()
    {
        Signals.Send(_pid, LocalCluster.SigCont);
        var thawed = Stopwatch.StartNew();
        if (await cluster.ExitsWithinAsync(_pid, StopsItselfBound))
        {
            _stoppedAfter = thawed.Elapsed;
            await cluster.StartAsync(silo);
        }
    }
}
