using System.Diagnostics;
using System.Globalization;

namespace Pop3Bench;

/// <summary>
/// <c>--cold</c>: a server just started. <see cref="RunAsync"/> logs in until a login succeeds (the time
/// from the process start to that login), then runs one workload at once, with no warm-up, and appends a
/// line to a TSV file; <see cref="AddRows"/> puts the medians of those lines in the table.
/// </summary>
internal static class ColdRuns
{
    private static readonly TimeSpan StartBudget = TimeSpan.FromSeconds(120);

    /// <summary>
    /// <c>cold --target NAME --ours HOST:PORT --ours-pid PID --started-ms EPOCH_MS --workload full|login --seconds 10 --tsv FILE</c>
    /// (the target named by <c>--target</c>: ours or dovecot, as for <c>run</c>).
    /// </summary>
    public static async Task RunAsync(Options options)
    {
        var which = options.Get("target");
        var target = Runner.TargetFromOptions(options, which, options.Get($"{which}-name", which == "ours" ? "Pop3Gateway" : "Dovecot"));
        var workload = options.Get("workload");
        var started = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(options.Get("started-ms"), CultureInfo.InvariantCulture));
        var login = DataSet.Login(0);
        var errors = new ErrorLog();
        var budget = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await using var client = await PopClient.ConnectAsync(target.EndPoint, target.Client.NextSource(), target.Client.NewTlsOptions(), null, timeout.Token);
                await client.LoginAsync(login, DataSet.Password(login), timeout.Token);
                await client.CommandAsync("QUIT", timeout.Token);
                break;
            }
            catch (Exception) when (budget.Elapsed < StartBudget)
            {
                // Not listening or not ready yet: poll again soon.
                await Task.Delay(20);
            }
        }
        var firstLoginMs = (DateTimeOffset.UtcNow - started).TotalMilliseconds;
        var run = await SessionWorkloads.RunAsync(target, workload == "full", options.Int("clients", 8), TimeSpan.FromSeconds(options.Int("seconds", 10)),
            options.Int("accounts", 200), options.Int("messages", 20), errors);
        var line = string.Join('\t', which, workload, F(firstLoginMs), F(run.SessionsPerSecond), F(run.P50Ms), F(run.P99Ms), F(run.CpuMsPerSession), errors.Count.ToString(CultureInfo.InvariantCulture));
        await File.AppendAllTextAsync(options.Get("tsv"), line + "\n");
        Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] cold {workload} {target.Name}: first login {firstLoginMs:F0} ms after start, then {run.SessionsPerSecond:F1} sessions/s, p99 {run.P99Ms:F1} ms, errors {errors.Count}");
        foreach (var message in errors.Messages)
        {
            Console.Error.WriteLine($"  error: {message}");
        }
    }

    /// <summary>Adds the medians of the cold lines (ours vs dovecot) per workload, before the warm rows.</summary>
    public static void AddRows(Report report, string tsv)
    {
        var lines = File.ReadAllLines(tsv).Select(l => l.Split('\t')).ToList();
        foreach (var workload in lines.Select(l => l[1]).Distinct())
        {
            double M(string which, int column) =>
                Stats.Median(lines.Where(l => l[0] == which && l[1] == workload).Select(l => double.Parse(l[column], CultureInfo.InvariantCulture)));
            var name = $"{workload}, cold";
            report.Add(name, "first login ms after start", M("ours", 2), M("dovecot", 2), "lower");
            report.Add(name, "sessions/s (first run, no warm-up)", M("ours", 3), M("dovecot", 3), "higher");
            report.Add(name, "p50 session ms", M("ours", 4), M("dovecot", 4), "lower");
            report.Add(name, "p99 session ms", M("ours", 5), M("dovecot", 5), "lower");
            report.Add(name, "server CPU ms/session", M("ours", 6), M("dovecot", 6), "lower");
            report.Add(name, "errors (all runs)", lines.Where(l => l[0] == "ours" && l[1] == workload).Sum(l => double.Parse(l[7], CultureInfo.InvariantCulture)),
                lines.Where(l => l[0] == "dovecot" && l[1] == workload).Sum(l => double.Parse(l[7], CultureInfo.InvariantCulture)), "lower");
        }
    }

    private static string F(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
}
