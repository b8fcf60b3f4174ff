using System.Diagnostics;
using Pop3Gateway.Cluster.Tests.Infrastructure;

namespace Pop3Gateway.Cluster.Tests.Faults;

/// <summary>
/// A silo frozen with SIGSTOP (a long GC pause, a stalled VM) for longer than Orleans takes to declare it dead,
/// then thawed with SIGCONT: its sockets stayed open and the grain calls queued on them are still there. It must
/// find itself declared dead and stop without committing anything for a mailbox whose grain lives elsewhere by then;
/// it is started again for the audit.
/// </summary>
public sealed class PauseFault(LocalCluster cluster, string silo, TimeSpan pause) : IFault
{
    /// <summary>How long the thawed silo has to read the membership table, find itself dead and stop.</summary>
    public static readonly TimeSpan StopsItselfBound = TimeSpan.FromSeconds(30);

    private int _pid;
    private TimeSpan? _stoppedAfter;

    public string Description => $"SIGSTOP {silo} {pause.TotalSeconds:F0} s";

    public TimeSpan Duration => pause;

    public string Outcome => $"thawed {silo} stopped itself {(_stoppedAfter is { } s ? $"after {s.TotalSeconds:F1} s" : "NOT")} (bound {StopsItselfBound.TotalSeconds:F0} s)";

    public string? Problem => _stoppedAfter is null
        ? $"{silo} still ran {StopsItselfBound.TotalSeconds:F0} s after SIGCONT, though declared dead while it was frozen"
        : null;

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
