namespace Pop3Gateway.Cluster.Tests.Faults;

/// <summary>
/// One failure a scenario injects into the running cluster under load: it begins, takes hold, lasts
/// <see cref="Duration"/> while the load goes on, and ends with the cluster whole again (a stopped
/// process running, a link healed).
/// </summary>
public interface IFault
{
    /// <summary>The words of the report, e.g. <c>kill -9 silo1</c>.</summary>
    string Description { get; }

    /// <summary>How long the load runs with the fault in effect, from when <see cref="InEffectAsync"/> returns.</summary>
    TimeSpan Duration { get; }

    /// <summary>Injects the fault now: sends the signal, blocks the link.</summary>
    Task BeginAsync();

    /// <summary>Returns once the fault has taken hold (a signalled process has exited).</summary>
    Task InEffectAsync();

    /// <summary>Ends the fault: every process of the cluster runs and every link forwards again.</summary>
    Task EndAsync();

    /// <summary>
    /// Whether the fault stopped a process's clocks (a frozen process): the leases it holds run out counted from the
    /// fault's end, not its start.
    /// </summary>
    bool StopsClocks { get; }

    /// <summary>What the fault itself showed, for the report; empty when there is nothing to add.</summary>
    string Outcome { get; }

    /// <summary>What the fault showed that breaks an invariant; null when nothing did.</summary>
    string? Problem { get; }
}
