using System.Globalization;

namespace Pop3Bench;

/// <summary>
/// Runs the chosen workloads against both servers, alternating (ours, Dovecot, ours, …) after
/// one warm-up each (at least 3 s and a session for every account), and reports the median of the runs.
/// </summary>
internal static class Runner
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);

    public static async Task<Report> RunAsync(Options options)
    {
        // --ours-name/--dovecot-name relabel the two servers, e.g. for pop3gw against itself with telemetry off.
        var oursName = options.Get("ours-name", "Pop3Gateway");
        var otherName = options.Get("dovecot-name", "Dovecot");
        var ours = TargetFromOptions(options, "ours", oursName);
        var dovecot = TargetFromOptions(options, "dovecot", otherName);
        Target[] targets = [ours, dovecot];
        // --ours-loopback yes (with --sources): the same pop3gw also driven from 127.0.0.1 in the same
        // alternation, so that remote clients are compared with loopback ones under the same conditions.
        var loopback = options.Has("sources") && options.Get("ours-loopback", "no") == "yes"
            ? ours with { Name = $"{oursName} from 127.0.0.1", Client = ClientSetup.Create(null, options.Has("tls-cert") ? options.Get("tls-cert") : null), Handshakes = null }
            : null;
        var workloads = options.Get("workloads", "full,login,idle,bigmsg,bigbox").Split(',');
        var runs = options.Int("runs", 3);
        var seconds = TimeSpan.FromSeconds(options.Int("seconds", 10));
        var clients = options.Int("clients", 8);
        var accounts = options.Int("accounts", 200);
        var messages = options.Int("messages", 20);
        var report = new Report(oursName, otherName) { Mode = options.Get("mode", "") };
        var warmUp = options.Get("warm-up", "yes") != "no";
        if (options.Has("cold-tsv"))
        {
            ColdRuns.AddRows(report, options.Get("cold-tsv"));
        }
        report.Note(string.Create(CultureInfo.InvariantCulture,
            $"{runs} alternating runs per workload after one warm-up per server; medians shown. full/login: {clients} clients, {seconds.TotalSeconds:F0} s per run, {accounts} accounts x {messages} messages."));

        foreach (var workload in workloads)
        {
            switch (workload)
            {
                case "full":
                case "login":
                    await LoadAsync(report, targets, loopback, workload == "full", runs, seconds, clients, accounts, messages, warmUp);
                    break;
                case "idle":
                    await IdleAsync(report, targets, options.Int("idle-logged-in", accounts), loggedIn: true, accounts);
                    await IdleAsync(report, targets, options.Int("idle-sessions", 15_000), loggedIn: false, accounts);
                    break;
                case "bigmsg":
                    await BigMessageAsync(report, targets, runs);
                    break;
                case "bigbox":
                    await BigBoxAsync(report, targets, runs, options.Int("bigbox-count", 100_000));
                    break;
                default:
                    throw new ArgumentException($"unknown workload '{workload}'");
            }
        }
        return report;
    }

    /// <summary>
    /// A server from <c>--NAME HOST:PORT --NAME-pid PID</c>, with <c>--NAME-role LABEL=PID</c> (repeated),
    /// <c>--NAME-metrics URL</c> and <c>--grain-counter METRIC</c>, and the client options of <see cref="ClientSetup"/>.
    /// </summary>
    public static Target TargetFromOptions(Options options, string name, string label)
    {
        var client = ClientSetup.Create(options.Has("sources") ? options.Get("sources") : null, options.Has("tls-cert") ? options.Get("tls-cert") : null);
        return new Target(label, options.EndPoint(name), new ServerProcesses(label, options.Int($"{name}-pid", 0)))
        {
            Client = client,
            Handshakes = client.Certificate is { } certificate ? new TlsHandshakeLog(certificate.RawData.Length) : null,
            Roles = [.. options.All($"{name}-role").Select(r => r.Split('=')).Select(p => new ServerProcesses(p[0], int.Parse(p[1], CultureInfo.InvariantCulture)))],
            GrainCalls = options.Has($"{name}-metrics") ? new GrainCallCounter(new Uri(options.Get($"{name}-metrics")), options.Get("grain-counter")) : null,
        };
    }

    /// <param name="loopback">When not null, a third target run in the same alternation and reported against the first.</param>
    private static async Task LoadAsync(
        Report report, Target[] targets, Target? loopback, bool full, int runs, TimeSpan duration, int clients, int accounts, int messages, bool warmUp)
    {
        var name = full ? "full" : "login";
        Target[] alternation = loopback is null ? targets : [.. targets, loopback];
        var results = alternation.ToDictionary(t => t, _ => new List<LoadRun>());
        var errors = alternation.ToDictionary(t => t, _ => new ErrorLog());
        foreach (var target in targets)
        {
            target.Handshakes?.Reset();
        }
        foreach (var target in warmUp ? alternation : [])
        {
            // The same warm-up for both: at least WarmUp, and one session for every account, so that no timed run
            // meets an account for the first time (pop3gw's verified-password cache, Dovecot's page cache).
            var warm = await SessionWorkloads.RunAsync(target, full, clients, WarmUp, accounts, messages, new ErrorLog(), everyAccount: true);
            Progress($"{name} warm-up {target.Name}: {warm.Sessions} sessions in {warm.Seconds:F1} s, p99 {warm.P99Ms:F1} ms");
        }
        for (var r = 0; r < runs; r++)
        {
            foreach (var target in alternation)
            {
                var before = errors[target].Count;
                var run = await SessionWorkloads.RunAsync(target, full, clients, duration, accounts, messages, errors[target]);
                results[target].Add(run with { Errors = errors[target].Count - before });
                Progress($"{name} run {r + 1} {target.Name}: {run.SessionsPerSecond:F1} sessions/s, {run.MegabytesPerSecond:F1} MB/s, p50 {run.P50Ms:F1} ms, p99 {run.P99Ms:F1} ms, errors {errors[target].Count - before}, server CPU {run.CpuMsPerSession:F1} ms/session");
            }
        }
        double M(Target t, Func<LoadRun, double> f) => Stats.Median(results[t].Select(f));
        void Row(string metric, Func<LoadRun, double> f, string better) => report.Add(name, metric, M(targets[0], f), M(targets[1], f), better);
        Row("sessions/s", r => r.SessionsPerSecond, "higher");
        if (full)
        {
            Row("messages/s", r => r.MessagesPerSecond, "higher");
            Row("MB/s", r => r.MegabytesPerSecond, "higher");
        }
        Row("p50 session ms", r => r.P50Ms, "lower");
        Row("p99 session ms", r => r.P99Ms, "lower");
        Row("server CPU ms/session", r => r.CpuMsPerSession, "lower");
        foreach (var role in targets.SelectMany(t => t.Roles.Select((r, i) => (r.Name, i))).Distinct())
        {
            Row($"{role.Name} CPU ms/session", r => role.i < r.RoleCpuMsPerSession.Count ? r.RoleCpuMsPerSession[role.i] : double.NaN, "lower");
        }
        if (targets.Any(t => t.GrainCalls is not null))
        {
            var metric = targets.First(t => t.GrainCalls is not null).GrainCalls!.Metric;
            Row("grain calls/session", r => r.GrainCallsPerSession, "lower");
            report.Note($"{name}: grain calls/session is the change in {metric} on the silo's /metrics over a run, divided by its sessions.");
        }
        if (targets.Any(t => t.Handshakes is not null))
        {
            report.Add(name, "TLS handshakes resumed %", targets[0].Handshakes?.ResumedPercent ?? double.NaN, targets[1].Handshakes?.ResumedPercent ?? double.NaN, "higher");
            report.Add(name, "TLS bytes read per handshake", targets[0].Handshakes?.MeanBytes ?? double.NaN, targets[1].Handshakes?.MeanBytes ?? double.NaN, "lower");
        }
        report.Add(name, "errors (all runs)", errors[targets[0]].Count, errors[targets[1]].Count, "lower");
        NoteErrors(report, name, alternation, errors);
        if (loopback is not null)
        {
            double L(Func<LoadRun, double> f) => M(loopback, f);
            report.Note(string.Create(CultureInfo.InvariantCulture,
                $"{name}: {loopback.Name} (trusted, no throttle) in the same alternation: {L(r => r.SessionsPerSecond):F0} sessions/s, p99 {L(r => r.P99Ms):F1} ms, " +
                $"server CPU {L(r => r.CpuMsPerSession):F2} ms/session, grain calls {L(r => r.GrainCallsPerSession):F2}/session, errors {errors[loopback].Count}; {targets[0].Name}'s remote clients got " +
                $"{M(targets[0], r => r.SessionsPerSecond) / L(r => r.SessionsPerSecond) * 100:F1} % of its sessions/s."));
        }
    }

    private static async Task IdleAsync(Report report, Target[] targets, int sessions, bool loggedIn, int withMail)
    {
        var name = loggedIn ? "idle, logged in" : "idle, connected";
        var results = new Dictionary<Target, IdleRun>();
        var errors = targets.ToDictionary(t => t, _ => new ErrorLog());
        foreach (var target in targets)
        {
            var run = await IdleWorkload.RunAsync(target, sessions, loggedIn, withMail, errors[target]);
            results[target] = run;
            Progress($"{name} {target.Name}: held {run.Held} of {run.Wanted} (opened in {run.OpenSeconds:F1} s), PSS {run.PssBeforeBytes / 1e6:F1} MB -> {run.PssAfterBytes / 1e6:F1} MB, {run.KilobytesPerSession:F1} KB/session, errors {run.Errors}");
        }
        report.Add(name, "sessions held", results[targets[0]].Held, results[targets[1]].Held, "higher");
        report.Add(name, "server PSS KB/session", results[targets[0]].KilobytesPerSession, results[targets[1]].KilobytesPerSession, "lower");
        report.Add(name, "server PSS MB total after", results[targets[0]].PssAfterBytes / 1e6, results[targets[1]].PssAfterBytes / 1e6, "lower");
        report.Add(name, "errors", errors[targets[0]].Count, errors[targets[1]].Count, "lower");
        NoteErrors(report, name, targets, errors);
    }

    private static async Task BigMessageAsync(Report report, Target[] targets, int runs)
    {
        var results = targets.ToDictionary(t => t, _ => new List<BigMessageRun>());
        var errors = targets.ToDictionary(t => t, _ => new ErrorLog());
        for (var r = 0; r <= runs; r++)
        {
            foreach (var target in targets)
            {
                try
                {
                    var run = await BigWorkloads.BigMessageAsync(target);
                    if (r > 0)
                    {
                        results[target].Add(run);
                    }
                    Progress($"bigmsg {(r == 0 ? "warm-up" : $"run {r}")} {target.Name}: {run.Octets / 1e6:F1} MB in {run.Seconds:F2} s = {run.MegabytesPerSecond:F0} MB/s, peak RSS growth {run.PeakRssGrowthBytes / 1e6:F1} MB");
                }
                catch (Exception e)
                {
                    errors[target].Add($"{e.GetType().Name}: {e.Message}");
                }
            }
        }
        double M(Target t, Func<BigMessageRun, double> f) => Stats.Median(results[t].Select(f));
        report.Add("bigmsg", "RETR MB/s", M(targets[0], r => r.MegabytesPerSecond), M(targets[1], r => r.MegabytesPerSecond), "higher");
        report.Add("bigmsg", "peak RSS growth MB", M(targets[0], r => r.PeakRssGrowthBytes / 1e6), M(targets[1], r => r.PeakRssGrowthBytes / 1e6), "lower");
        report.Add("bigmsg", "errors", errors[targets[0]].Count, errors[targets[1]].Count, "lower");
        NoteErrors(report, "bigmsg", targets, errors);
    }

    private static async Task BigBoxAsync(Report report, Target[] targets, int runs, int expected)
    {
        var results = targets.ToDictionary(t => t, _ => new List<BigBoxRun>());
        var errors = targets.ToDictionary(t => t, _ => new ErrorLog());
        var cold = new Dictionary<Target, BigBoxRun>();
        for (var r = 0; r <= runs; r++)
        {
            foreach (var target in targets)
            {
                try
                {
                    var run = await BigWorkloads.BigBoxAsync(target, expected);
                    if (r > 0)
                    {
                        results[target].Add(run);
                    }
                    else
                    {
                        cold[target] = run;
                    }
                    Progress($"bigbox {(r == 0 ? "first" : $"run {r}")} {target.Name}: {run.Messages} messages, login+STAT {run.LoginStatMs:F0} ms, UIDL {run.UidlMs:F0} ms");
                }
                catch (Exception e)
                {
                    errors[target].Add($"{e.GetType().Name}: {e.Message}");
                }
            }
        }
        var name = string.Create(CultureInfo.InvariantCulture, $"bigbox ({expected:N0})");
        double M(Target t, Func<BigBoxRun, double> f) => Stats.Median(results[t].Select(f));
        double C(Target t, Func<BigBoxRun, double> f) => cold.TryGetValue(t, out var run) ? f(run) : double.NaN;
        report.Add(name, "first login+STAT ms", C(targets[0], r => r.LoginStatMs), C(targets[1], r => r.LoginStatMs), "lower");
        report.Add(name, "login+STAT ms", M(targets[0], r => r.LoginStatMs), M(targets[1], r => r.LoginStatMs), "lower");
        report.Add(name, "UIDL ms", M(targets[0], r => r.UidlMs), M(targets[1], r => r.UidlMs), "lower");
        report.Add(name, "errors", errors[targets[0]].Count, errors[targets[1]].Count, "lower");
        NoteErrors(report, name, targets, errors);
    }

    private static void NoteErrors(Report report, string workload, Target[] targets, Dictionary<Target, ErrorLog> errors)
    {
        foreach (var target in targets)
        {
            foreach (var message in errors[target].Messages)
            {
                report.Note($"{workload}, {target.Name} error: {message}");
                Progress($"{workload}, {target.Name} error: {message}");
            }
        }
    }

    private static void Progress(string line) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}");
}
