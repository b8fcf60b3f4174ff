using System.Diagnostics;
using Pop3Gateway.Cluster.Tests.Infrastructure;
using Pop3Gateway.Cluster.Tests.Load;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Pop3Gateway.Cluster.Tests;

/// <summary>
/// Failures of one process of the local cluster (deploy/local/cluster.sh) under a steady load of
/// concurrent POP3 sessions and LMTP deliveries through HAProxy. After each, with the process
/// started again: nothing delivered is lost, nothing is deleted without a QUIT that got +OK,
/// nothing is duplicated, no lock outlives the lease, and new sessions are served within
/// <see cref="RecoveryBound"/>.
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

    [Fact]
    public Task KillSilo_UnderLoad_InvariantsHold() => RunAsync("killsilo", "kill -9 silo1", "silo1", LocalCluster.SigKill);

    [Fact]
    public Task KillFrontend_UnderLoad_InvariantsHold() =>
        RunAsync("killfe", "kill -9 frontend1", "frontend1", LocalCluster.SigKill, heldMustOpen: true);

    [Fact]
    public Task TerminateSilo_UnderLoad_InvariantsHold() => RunAsync("termsilo", "SIGTERM silo2", "silo2", LocalCluster.SigTerm);

    [Fact]
    public Task TerminateFrontend_UnderLoad_InvariantsHold() => RunAsync("termfe", "SIGTERM frontend2", "frontend2", LocalCluster.SigTerm);

    /// <summary>SIGTERM, down for <see cref="Downtime"/>, started again on the same data: a storage outage.</summary>
    [Fact]
    public Task RestartAzurite_UnderLoad_InvariantsHold() => RunAsync("azurite", "restart Azurite", "azurite", LocalCluster.SigTerm);

    /// <param name="heldMustOpen">
    /// The failed process held sessions that die with it: the mailboxes of those held sessions must open within
    /// <see cref="HeldMailboxesOpenBound"/>, and no mailbox may still be locked at the audit.
    /// </param>
    private async Task RunAsync(string scenario, string failure, string process, int signal, bool heldMustOpen = false)
    {
        // Whatever an earlier scenario left down comes back first (up is idempotent).
        await Cluster.UpAsync();
        var accounts = fixture.AccountsOf(scenario);
        var ledger = new Ledger();
        var driver = new LoadDriver(Cluster.Pop3Port, Cluster.LmtpPort, accounts, ledger);
        using var stop = new CancellationTokenSource();
        var load = driver.RunAsync(stop.Token);
        var held = new List<RawPop3Client>();
        TimeSpan? recovery;
        HeldOpen? heldOpen = null;
        var sinceFault = new Stopwatch();
        try
        {
            foreach (var account in fixture.HeldAccountsOf(scenario))
            {
                var client = await RawPop3Client.LoginAsync(Cluster.Pop3Port, account.Login, account.Password);
                held.Add(client);
                await client.ExpectOkAsync("STAT");
            }
            await Task.Delay(Warmup);
            sinceFault.Start();
            var pid = await Cluster.SignalAsync(process, signal);
            // Measured from the signal: a draining front-end must not hold new sessions up.
            var probe = RecoveryProbe.RunAsync(Cluster.Pop3Port, fixture.Probes, sinceFault, RecoveryBound + TimeSpan.FromSeconds(30));
            await Cluster.WaitForExitAsync(process, pid);
            Task<HeldOpen>? opening = null;
            if (heldMustOpen)
            {
                var orphaned = await OrphanedAsync(held, fixture.HeldAccountsOf(scenario));
                opening = RecoveryProbe.HeldMailboxesOpenAsync(Cluster.Pop3Port, orphaned, sinceFault, RecoveryBound)
                    .ContinueWith(t => new HeldOpen(orphaned.Count, t.Result), TaskScheduler.Default);
            }
            await Task.Delay(Downtime);
            await Cluster.StartAsync(process);
            await Task.Delay(Cooldown);
            recovery = await probe;
            heldOpen = opening is null ? null : await opening;
        }
        finally
        {
            stop.Cancel();
            await load.WaitAsync(LoadStopTimeout);
            await EndHeldSessionsAsync(held);
        }
        var audit = await MailboxAudit.RunAsync(Cluster.Pop3Port, [.. accounts, .. fixture.HeldAccountsOf(scenario)], ledger, sinceFault);
        Report(scenario, failure, ledger.Counts(), audit, recovery, heldOpen);
        Check(ledger.Counts(), audit, recovery, heldOpen);
    }

    /// <summary>The held sessions the failure cut (their NOOP fails), which the failed process served; their accounts.</summary>
    private static async Task<List<LoadAccount>> OrphanedAsync(List<RawPop3Client> held, IReadOnlyList<LoadAccount> accounts)
    {
        var alive = await Task.WhenAll(held.Select(async client =>
        {
            try
            {
                return (await client.CommandAsync("NOOP").WaitAsync(TimeSpan.FromSeconds(5))).StartsWith("+OK", StringComparison.Ordinal);
            }
            catch (Exception e) when (e is IOException or TimeoutException or System.Net.Sockets.SocketException)
            {
                return false;
            }
        }));
        return accounts.Where((_, i) => !alive[i]).ToList();
    }

    /// <summary>How many held mailboxes the failed process served, and how soon after the failure all of them opened.</summary>
    private sealed record HeldOpen(int Mailboxes, TimeSpan? After);

    /// <summary>QUITs the held sessions that survived the failure; the others left their leases to expire.</summary>
    private static async Task EndHeldSessionsAsync(List<RawPop3Client> held)
    {
        foreach (var client in held)
        {
            try
            {
                await client.CommandAsync("QUIT");
            }
            catch (Exception e) when (e is IOException or TimeoutException or System.Net.Sockets.SocketException)
            {
                // Cut by the failure (a killed front-end) or closed by a drain.
            }
            await client.DisposeAsync();
        }
    }

    private void Report(string scenario, string failure, LoadCounts load, AuditResult audit, TimeSpan? recovery, HeldOpen? held)
    {
        var text =
            $"{scenario,-9} {failure,-18}: sessions ok {load.SessionsOk}, failed {load.SessionsFailed}, in-use {load.SessionsInUse}; " +
            $"delivered {load.Delivered} (retried {load.DeliveriesRetried}; uncertain {load.DeliveriesUncertain}, of them present {audit.UncertainDeliveriesPresent}); " +
            $"deleted-confirmed {load.DeletedConfirmed}; ambiguous QUITs {load.QuitsAmbiguous} " +
            $"(messages deleted {audit.AmbiguousDeleted}, kept {audit.AmbiguousPresent}); present {audit.Present}; " +
            $"lost {audit.Lost}, wrongly deleted {audit.WronglyDeleted}, deleted-but-present {audit.DeletedButPresent}, " +
            $"duplicates {audit.Duplicates}, unknown {audit.Unknown}, wrong bodies {load.WrongBodies}; " +
            $"unreadable {audit.Unreadable}, locked at audit {audit.MailboxesLockedAtAudit} (free {audit.LocksFreeAfter.TotalSeconds:F0} s after the failure, lease {MailboxAudit.Lease.TotalSeconds:F0} s); " +
            $"recovery {(recovery is { } r ? $"{r.TotalSeconds:F1} s" : "NONE")} (bound {RecoveryBound.TotalSeconds:F0} s)" +
            (held is null ? "" :
                $"; held mailboxes of {failure.Split(' ')[^1]} open after {(held.After is { } h ? $"{h.TotalSeconds:F1} s" : "NONE")} " +
                $"({held.Mailboxes} of them, bound {HeldMailboxesOpenBound.TotalSeconds:F0} s)");
        output.WriteLine(text);
        foreach (var problem in audit.Problems.Take(20))
        {
            output.WriteLine("  " + problem);
        }
        if (ReportFile is { Length: > 0 } file)
        {
            File.AppendAllLines(file, [text, .. audit.Problems.Take(20).Select(p => "  " + p)]);
        }
    }

    private void Check(LoadCounts load, AuditResult audit, TimeSpan? recovery, HeldOpen? held)
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
        if (failures.Count > 0)
        {
            throw new XunitException(string.Join("; ", failures) + "\n" + string.Join('\n', audit.Problems.Take(20)) + "\n" + Cluster.LogTails());
        }
    }
}
