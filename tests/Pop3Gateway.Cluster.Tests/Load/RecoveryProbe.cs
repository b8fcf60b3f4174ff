using System.Diagnostics;

namespace Pop3Gateway.Cluster.Tests.Load;

/// <summary>
/// Measures how soon after a failure the cluster serves new sessions: rounds of login + STAT + QUIT
/// through HAProxy on every probe mailbox (mailboxes the load never touches, so their grains are
/// spread over the silos the way any mailbox's are). Recovered = the start of the first round in
/// which every probe succeeded.
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

    private static async Task<bool> ProbeAsync(int pop3Port, LoadAccount probe)
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
                return true;
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
