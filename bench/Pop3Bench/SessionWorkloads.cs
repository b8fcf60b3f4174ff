using System.Diagnostics;
using System.Globalization;
using System.Net.Security;

namespace Pop3Bench;

/// <summary>One timed run of a closed-loop workload against one server.</summary>
public sealed record LoadRun(double Seconds, long Sessions, long Messages, long Bytes, double P50Ms, double P99Ms, long Errors, double CpuMsPerSession)
{
    /// <summary>CPU ms per session of each of <see cref="Target.Roles"/>, in order.</summary>
    public IReadOnlyList<double> RoleCpuMsPerSession { get; init; } = [];

    public double GrainCallsPerSession { get; init; } = double.NaN;

    public double SessionsPerSecond => Sessions / Seconds;
    public double MessagesPerSecond => Messages / Seconds;
    public double MegabytesPerSecond => Bytes / Seconds / 1e6;
}

/// <summary>
/// <c>full</c> and <c>login</c>: a fixed number of clients, each running sessions back to
/// back for a fixed time. Client i uses accounts i, i+clients, …, so no two clients hold the
/// same mailbox at once. Every RETR's octet count is checked against LIST.
/// </summary>
public static class SessionWorkloads
{
    /// <param name="everyAccount">Run on past the duration until every account has had a session (the warm-up).</param>
    public static async Task<LoadRun> RunAsync(Target target, bool full, int clients, TimeSpan duration, int accounts, int messagesPerAccount, ErrorLog errors,
        bool everyAccount = false)
    {
        long sessions = 0, messages = 0, bytes = 0;
        var latencies = new List<double>[clients];
        var cpuBefore = target.Processes.CpuSeconds();
        var rolesBefore = target.Roles.Select(r => r.CpuSeconds()).ToList();
        var callsBefore = target.GrainCalls is null ? double.NaN : await target.GrainCalls.ReadAsync();
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, clients).Select(worker => Task.Run(async () =>
        {
            var mine = latencies[worker] = [];
            var tls = target.Client.NewTlsOptions();
            var account = worker;
            while (Stopwatch.GetTimestamp() < deadline || (everyAccount && account < accounts))
            {
                var login = DataSet.Login(account % accounts);
                account += clients;
                var sessionStart = Stopwatch.GetTimestamp();
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                    var (m, b) = await SessionAsync(target, tls, login, full, messagesPerAccount, timeout.Token);
                    mine.Add(Stopwatch.GetElapsedTime(sessionStart).TotalMilliseconds);
                    Interlocked.Increment(ref sessions);
                    Interlocked.Add(ref messages, m);
                    Interlocked.Add(ref bytes, b);
                }
                catch (Exception e)
                {
                    errors.Add($"{login}: {e.GetType().Name}: {e.Message}");
                    await Task.Delay(10);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var roles = target.Roles.Select((r, i) => r.CpuSeconds() - rolesBefore[i]).ToList();
        // A server in several processes (pop3gw split) costs what all of them do.
        var cpu = roles.Count > 0 ? roles.Sum() : target.Processes.CpuSeconds() - cpuBefore;
        var calls = target.GrainCalls is null ? double.NaN : await target.GrainCalls.ReadAsync() - callsBefore;
        var all = latencies.SelectMany(l => l).Order().ToList();
        double PerSession(double value) => sessions == 0 ? double.NaN : value / sessions;
        return new LoadRun(seconds, sessions, messages, bytes, Stats.Percentile(all, 50), Stats.Percentile(all, 99), errors.Count, PerSession(cpu * 1000))
        {
            RoleCpuMsPerSession = roles.Select(r => PerSession(r * 1000)).ToList(),
            GrainCallsPerSession = PerSession(calls),
        };
    }

    private static async Task<(long Messages, long Bytes)> SessionAsync(Target target, SslClientAuthenticationOptions? tls, string login, bool full, int expected,
        CancellationToken cancel)
    {
        await using var client = await PopClient.ConnectAsync(target.EndPoint, target.Client.NextSource(), tls, target.Handshakes, cancel);
        await client.LoginAsync(login, DataSet.Password(login), cancel);
        var stat = (await client.CommandAsync("STAT", cancel)).Split(' ');
        var count = int.Parse(stat[1], CultureInfo.InvariantCulture);
        if (count != expected)
        {
            throw new PopException($"STAT says {count} messages, expected {expected}");
        }
        long messages = 0, bytes = 0;
        if (full)
        {
            await client.CommandAsync("UIDL", cancel);
            var uidls = await client.CountListingAsync(cancel);
            await client.CommandAsync("LIST", cancel);
            var sizes = (await client.ReadListingAsync(cancel)).Select(l => long.Parse(l.Split(' ')[1], CultureInfo.InvariantCulture)).ToList();
            if (uidls != count || sizes.Count != count)
            {
                throw new PopException($"UIDL lists {uidls}, LIST {sizes.Count}, STAT {count}");
            }
            for (var n = 1; n <= count; n++)
            {
                await client.CommandAsync($"RETR {n}", cancel);
                var octets = await client.ReadBodyAsync(cancel);
                if (octets != sizes[n - 1])
                {
                    throw new PopException($"RETR {n} sent {octets} octets, LIST said {sizes[n - 1]}");
                }
                messages++;
                bytes += octets;
            }
        }
        await client.CommandAsync("QUIT", cancel);
        return (messages, bytes);
    }
}
