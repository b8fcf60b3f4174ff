using System.Diagnostics;
using Pop3Gateway.Cluster.Tests.Faults;
using Pop3Gateway.Cluster.Tests.Infrastructure;
using Pop3Gateway.Cluster.Tests.Load;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Pop3Gateway.Cluster.Tests;

/// <summary>
/// Failures of one process or link of the local cluster (deploy/local/cluster.sh) under a steady load
/// of concurrent POP3 sessions and LMTP deliveries through HAProxy: a process killed, terminated or
/// frozen, a front-end cut off from the silos, slow storage. After each, with the cluster whole
/// again: nothing delivered is lost, nothing is deleted without a QUIT that got +OK, nothing is
/// duplicated, no lock outlives the lease, and new sessions are served within <see cref="RecoveryBound"/>.
/// </summary>
public sealed class FailureTests(ClusterFixture fixture, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    /// <summary>The stated bound: a new login + STAT through HAProxy succeeds this soon after the failure.</summary>
    public static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(60);

    /// <summary>Load before the failure.</summary>
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(4);

    /// <summary>Load while the failed process stays down.</summary>
    private static readonly TimeSpan Downtime = TimeSpan.FromSeconds(6);

    /// <summary>Load after the process is back.</summary>
    private static readonly TimeSpan Cooldown = TimeSpan.FromSeconds(3);

    /// <summary>
    /// After <c>kill -9</c> of a front-end, every mailbox it held opens this soon: its liveness lease
    /// (Sessions:FrontendLease, 10 s) plus slack for the last beat and a loaded machine.
    /// </summary>
    public static readonly TimeSpan HeldMailboxesOpenBound = TimeSpan.FromSeconds(15);

    /// <summary>Sessions in flight when the load stops end within the client's reply timeout.</summary>
    private static readonly TimeSpan LoadStopTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Report file that tests/run.sh prints (POP3GW_CLUSTER_REPORT).</summary>
    private static readonly string? ReportFile = Environment.GetEnvironmentVariable("POP3GW_CLUSTER_REPORT");

    private LocalCluster Cluster => fixture.Cluster;

    /// <summary>How long the partition of <see cref="ClusterFixture.PartitionedFrontend"/> lasts: longer than its lease (Sessions:FrontendLease, 10 s).</summary>
    private static readonly TimeSpan PartitionTime = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A front-end cut off from the cluster ends its sessions this soon: it stops serving once its beats have failed
    /// for the lease less one beat interval (8 s), plus slack for a loaded machine.
    /// </summary>
    public static readonly TimeSpan FencedBound = TimeSpan.FromSeconds(12);

    /// <summary>
    /// How long a silo stays frozen: above Orleans' death verdict with the default membership settings (3 missed
    /// probes of a 5 s timeout, then a vote, which one silo of two may cast alone) and above the front-end lease.
    /// </summary>
    private static readonly TimeSpan PauseTime = TimeSpan.FromSeconds(25);

    /// <summary>How long the silos' storage stays slow, and how long each chunk either way is held back.</summary>
    private static readonly TimeSpan SlowStorageTime = TimeSpan.FromSeconds(12);
    private static readonly TimeSpan SlowChunkMin = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan SlowChunkMax = TimeSpan.FromMilliseconds(1500);

    [Fact]
    public Task KillSilo_UnderLoad_InvariantsHold() => RunAsync("killsilo", Signal("kill -9 silo1", "silo1", LocalCluster.SigKill));

    [Fact]
    public Task KillFrontend_UnderLoad_InvariantsHold() =>
        RunAsync("killfe", Signal("kill -9 frontend1", "frontend1", LocalCluster.SigKill), HeldCheck.Orphaned);

    [Fact]
    public Task TerminateSilo_UnderLoad_InvariantsHold() => RunAsync("termsilo", Signal("SIGTERM silo2", "silo2", LocalCluster.SigTerm));

    [Fact]
    public Task TerminateFrontend_UnderLoad_InvariantsHold() => RunAsync("termfe", Signal("SIGTERM frontend2", "frontend2", LocalCluster.SigTerm));

    /// <summary>SIGTERM, down for <see cref="Downtime"/>, started again on the same data: a storage outage.</summary>
    [Fact]
    public Task RestartAzurite_UnderLoad_InvariantsHold() => RunAsync("azurite", Signal("restart Azurite", "azurite", LocalCluster.SigTerm));

    /// <summary>
    /// <see cref="ClusterFixture.PartitionedFrontend"/> cut off from both silos (black-holed: no connection closes) for
    /// longer than its lease, then healed: it ends its sessions with <c>[SYS/TEMP]</c>, their mailboxes open through
    /// the other front-end, and what it sent before the cut, delivered after the heal, commits nothing.
    /// </summary>
    [Fact]
    public Task PartitionFrontend_UnderLoad_InvariantsHold() =>
        RunAsync("partition", new PartitionFault(Cluster, ClusterFixture.PartitionedFrontend, fixture.GatewayRelays, PartitionTime), HeldCheck.Fenced);

    /// <summary>
    /// silo2 frozen past its death verdict, then thawed: it commits nothing for mailboxes taken over meanwhile, and the
    /// logins it granted after their front-end gave up on them lock nothing past the next login.
    /// </summary>
    [Fact]
    public Task PauseSilo_UnderLoad_InvariantsHold() => RunAsync("pausesilo", new PauseFault(Cluster, "silo2", PauseTime));

    /// <summary>The silos' storage answers slowly for a while: clients may get <c>[SYS/TEMP]</c> or slow answers, never lose mail.</summary>
    [Fact]
    public Task SlowStorage_UnderLoad_InvariantsHold() =>
        RunAsync("slowstore", new SlowLinkFault($"storage +{SlowChunkMin.TotalSeconds:0.#}-{SlowChunkMax.TotalSeconds:0.#} s",
            fixture.StorageRelays, SlowStorageTime, SlowChunkMin, SlowChunkMax));

    private SignalFault Signal(string description, string process, int signal) => new(Cluster, process, signal, description, Downtime);

    /// <summary>What the held sessions must show after the failure.</summary>
    private enum HeldCheck
    {
        /// <summary>Nothing: they are QUIT at the end.</summary>
        None,

        /// <summary>
        /// The failed process held sessions that die with it: the mailboxes of those held sessions must open within
        /// <see cref="HeldMailboxesOpenBound"/>, and no mailbox may still be locked at the audit.
        /// </summary>
        Orphaned,

        /// <summary>
        /// As <see cref="Orphaned"/>, for a front-end cut off from the cluster: its sessions are ended with
        /// <c>[SYS/TEMP]</c> within <see cref="FencedBound"/> and are the orphans; none ends any other way.
        /// </summary>
        Fenced,
    }

    private async Task RunAsync(string scenario, IFault fault, HeldCheck heldCheck = HeldCheck.None)
    {
        // Whatever an earlier scenario left down comes back first (up is idempotent).
        await Cluster.UpAsync();
        var accounts = fixture.AccountsOf(scenario);
        var ledger = new Ledger();
        var driver = new LoadDriver(Cluster.Pop3Port, Cluster.LmtpPort, accounts, ledger);
        using var stop = new CancellationTokenSource();
        var load = driver.RunAsync(stop.Token);
        var held = new HeldSessions(fixture.HeldAccountsOf(scenario));
        TimeSpan? recovery;
        HeldOpen? heldOpen = null;
        Fencing? fencing = null;
        var sinceFault = new Stopwatch();
        // What the audit counts leases from: the failure, or the end of a fault that stopped the lease holder's clocks.
        var leaseClock = sinceFault;
        try
        {
            await held.LoginAsync(Cluster.Pop3Port);
            await Task.Delay(Warmup);
            sinceFault.Start();
            await fault.BeginAsync();
            // Measured from the fault: a draining front-end must not hold new sessions up.
            var probe = RecoveryProbe.RunAsync(Cluster.Pop3Port, fixture.Probes, sinceFault, RecoveryBound + TimeSpan.FromSeconds(30));
            await fault.InEffectAsync();
            var opening = heldCheck switch
            {
                HeldCheck.Orphaned => OpenAsync(held.OrphanedAsync()),
                HeldCheck.Fenced => FencedOpenAsync(),
                _ => null,
            };
            await Task.Delay(fault.Duration);
            await fault.EndAsync();
            leaseClock = fault.StopsClocks ? Stopwatch.StartNew() : sinceFault;
            await Task.Delay(Cooldown);
            recovery = await probe;
            heldOpen = opening is null ? null : await opening;
        }
        finally
        {
            stop.Cancel();
            await load.WaitAsync(LoadStopTimeout);
            await held.DisposeAsync();
        }
        var audit = await MailboxAudit.RunAsync(Cluster.Pop3Port, [.. accounts, .. fixture.HeldAccountsOf(scenario)], ledger, leaseClock);
        Report(scenario, fault, ledger.Counts(), audit, recovery, heldOpen, fencing);
        Check(fault, ledger.Counts(), audit, recovery, heldOpen, fencing);

        // Each fenced mailbox is probed from the moment its session hears [SYS/TEMP], not once the wait for them ends.
        async Task<HeldOpen> FencedOpenAsync()
        {
            var opens = new System.Collections.Concurrent.ConcurrentQueue<Task<TimeSpan?>>();
            fencing = await held.FencedAsync(FencedBound, account =>
                opens.Enqueue(RecoveryProbe.HeldMailboxesOpenAsync(Cluster.Pop3Port, [account], sinceFault, RecoveryBound)));
            var opened = await Task.WhenAll(opens);
            return new HeldOpen(fencing.Fenced.Count, opened.Any(t => t is null) ? null : opened.Max() ?? TimeSpan.Zero);
        }

        async Task<HeldOpen> OpenAsync(Task<List<LoadAccount>> orphaned)
        {
            var orphans = await orphaned;
            return new HeldOpen(orphans.Count, await RecoveryProbe.HeldMailboxesOpenAsync(Cluster.Pop3Port, orphans, sinceFault, RecoveryBound));
        }
    }

    /// <summary>How many held mailboxes the failed process served, and how soon after the failure all of them opened.</summary>
    private sealed record HeldOpen(int Mailboxes, TimeSpan? After);

    private void Report(string scenario, IFault fault, LoadCounts load, AuditResult audit, TimeSpan? recovery, HeldOpen? held, Fencing? fencing)
    {
        var failure = fault.Description;
        var text =
            $"{scenario,-9} {failure,-18}: sessions ok {load.SessionsOk}, failed {load.SessionsFailed}, in-use {load.SessionsInUse}; " +
            $"delivered {load.Delivered} (retried {load.DeliveriesRetried}; uncertain {load.DeliveriesUncertain}, of them present {audit.UncertainDeliveriesPresent}); " +
            $"deleted-confirmed {load.DeletedConfirmed}; ambiguous QUITs {load.QuitsAmbiguous} " +
            $"(messages deleted {audit.AmbiguousDeleted}, kept {audit.AmbiguousPresent}); present {audit.Present}; " +
            $"lost {audit.Lost}, wrongly deleted {audit.WronglyDeleted}, deleted-but-present {audit.DeletedButPresent}, " +
            $"duplicates {audit.Duplicates}, unknown {audit.Unknown}, wrong bodies {load.WrongBodies}; " +
            $"unreadable {audit.Unreadable}, locked at audit {audit.MailboxesLockedAtAudit} (free {audit.LocksFreeAfter.TotalSeconds:F0} s after {(fault.StopsClocks ? "the fault's end" : "the failure")}, lease {MailboxAudit.Lease.TotalSeconds:F0} s); " +
            $"recovery {(recovery is { } r ? $"{r.TotalSeconds:F1} s" : "NONE")} (bound {RecoveryBound.TotalSeconds:F0} s)" +
            (held is null ? "" :
                $"; held mailboxes open after {(held.After is { } h ? $"{h.TotalSeconds:F1} s" : "NONE")} " +
                $"({held.Mailboxes} of them, bound {HeldMailboxesOpenBound.TotalSeconds:F0} s)") +
            (fencing is null ? "" :
                $"; held sessions ended with {HeldSessions.FencedReply} {fencing.Fenced.Count}, untouched {fencing.Untouched}, " +
                $"ended otherwise {fencing.OtherEndings.Count} (within {FencedBound.TotalSeconds:F0} s)") +
            (fault.Outcome is { Length: > 0 } outcome ? $"; {outcome}" : "");
        output.WriteLine(text);
        foreach (var problem in Problems(audit, fencing))
        {
            output.WriteLine("  " + problem);
        }
        if (ReportFile is { Length: > 0 } file)
        {
            File.AppendAllLines(file, [text, .. Problems(audit, fencing).Select(p => "  " + p)]);
        }
    }

    private static IEnumerable<string> Problems(AuditResult audit, Fencing? fencing) =>
        (fencing?.OtherEndings ?? []).Concat(audit.Problems).Take(20);

    private void Check(IFault fault, LoadCounts load, AuditResult audit, TimeSpan? recovery, HeldOpen? held, Fencing? fencing)
    {
        var failures = new List<string>();
        void Expect(bool condition, string message)
        {
            if (!condition)
            {
                failures.Add(message);
            }
        }
        // The load really ran: sessions committed deletions and messages arrived.
        Expect(load.SessionsOk > 0 && load.Delivered > 0 && load.DeletedConfirmed > 0, "the load did not run (no committed session, delivery or deletion)");
        Expect(audit.Lost == 0, $"{audit.Lost} delivered messages lost");
        Expect(audit.WronglyDeleted == 0, $"{audit.WronglyDeleted} messages deleted without a QUIT +OK");
        Expect(audit.DeletedButPresent == 0, $"{audit.DeletedButPresent} messages present after a QUIT +OK deleted them");
        Expect(audit.Duplicates == 0, $"{audit.Duplicates} duplicates");
        Expect(audit.Unknown == 0, $"{audit.Unknown} messages the load never sent");
        Expect(load.WrongBodies == 0, $"{load.WrongBodies} RETRs returned another message's body");
        Expect(audit.Unreadable == 0,
            $"{audit.Unreadable} mailboxes not readable within the lease ({MailboxAudit.Lease.TotalSeconds:F0} s) + {MailboxAudit.LeaseSlack.TotalSeconds:F0} s");
        Expect(recovery is { } r && r <= RecoveryBound, $"new sessions not served within {RecoveryBound.TotalSeconds:F0} s (recovery {recovery?.TotalSeconds:F1})");
        if (held is not null)
        {
            Expect(held.After is { } h && h <= HeldMailboxesOpenBound,
                $"mailboxes held by the failed process not open within {HeldMailboxesOpenBound.TotalSeconds:F0} s (after {held.After?.TotalSeconds:F1})");
            Expect(audit.MailboxesLockedAtAudit == 0, $"{audit.MailboxesLockedAtAudit} mailboxes still locked at the audit");
        }
        if (fencing is not null)
        {
            Expect(fencing.OtherEndings.Count == 0, $"{fencing.OtherEndings.Count} held sessions ended without {HeldSessions.FencedReply}");
        }
        if (fault.Problem is { } problem)
        {
            failures.Add(problem);
        }
        if (failures.Count > 0)
        {
            throw new XunitException(string.Join("; ", failures) + "\n" + string.Join('\n', Problems(audit, fencing)) + "\n" + Cluster.LogTails());
        }
    }
}
