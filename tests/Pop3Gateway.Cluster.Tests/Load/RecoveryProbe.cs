using System.Diagnostics;

namespace Pop3Gateway.Cluster.Tests.Load;

/// <summary>
/// Measures how soon after a failure the cluster serves new sessions: rounds of login + STAT + QUIT
/// through HAProxy on every probe mailbox (mailboxes the load never touches, so their grains are
/// spread over the silos the way any mailbox's are). Recovered = the start of the first round in
/// which every probe succeeded. Also measures how soon the mailboxes a failed process held open again
/// (<see cref="HeldMailboxesOpenAsync"/>): there a login must get the mailbox, <c>[IN-USE]</c> is not enough.
/// </summary>
public static class RecoveryProbe
{
    /// <summary>A probe that takes longer than this counts as failed (a hung grain call).</summary>
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Returns the time from <paramref name="sinceFault"/>'s start to recovery, or null when it did not happen within the bound.</summary>
    public static async Task<TimeSpan?> RunAsync(int pop3Port, IReadOnlyList<LoadAccount> probes, Stopwatch sinceFault, TimeSpan bound)
    {
        while (sinceFault.Elapsed < bound)
        {
            var roundStart = sinceFault.Elapsed;
            var results = await Task.WhenAll(probes.Select(p => ProbeAsync(pop3Port, p)));
            if (results.All(ok => ok))
            {
                return roundStart;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
        return null;
    }

    /// <summary>
    /// Seconds from <paramref name="sinceFault"/>'s start until every one of <paramref name="held"/> (mailboxes whose
    /// sessions died with the failed process) could be opened by a new login; null when one did not open within the bound.
    /// </summary>
    public static async Task<TimeSpan?> HeldMailboxesOpenAsync(int pop3Port, IReadOnlyList<LoadAccount> held, Stopwatch sinceFault, TimeSpan bound)
    {
        var opened = await Task.WhenAll(held.Select(async account =>
        {
            while (sinceFault.Elapsed < bound)
            {
                if (await ProbeAsync(pop3Port, account, inUseServes: false))
                {
                    return sinceFault.Elapsed;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
            return (TimeSpan?)null;
        }));
        return opened.Any(t => t is null) ? null : opened.Max() ?? TimeSpan.Zero;
    }

    /// <param name="inUseServes">Whether <c>[IN-USE]</c> counts as served (the cluster answered) or as not yet open.</param>
    private static async Task<bool> ProbeAsync(int pop3Port, LoadAccount probe, bool inUseServes = true)
    {
        try
        {
            await using var client = await RawPop3Client.ConnectAsync(pop3Port).WaitAsync(AttemptTimeout);
            using var timeout = new CancellationTokenSource(AttemptTimeout);
            await client.ExpectOkAsync($"USER {probe.Login}").WaitAsync(timeout.Token);
            var pass = await client.CommandAsync($"PASS {probe.Password}").WaitAsync(timeout.Token);
            if (pass.Contains("[IN-USE]", StringComparison.Ordinal))
            {
                // Credentials checked and the mailbox grain answered: serving. A probe session the failure
                // cut off holds that lease; the audit checks leases.
                return inUseServes;
            }
            if (!pass.StartsWith("+OK", StringComparison.Ordinal))
            {
                return false;
            }
            await client.ExpectOkAsync("STAT").WaitAsync(timeout.Token);
            await client.ExpectOkAsync("QUIT").WaitAsync(timeout.Token);
            return true;
        }
        catch (Exception e) when (e is IOException or TimeoutException or OperationCanceledException or System.Net.Sockets.SocketException or Xunit.Sdk.XunitException)
        {
            return false;
        }
    }
}
