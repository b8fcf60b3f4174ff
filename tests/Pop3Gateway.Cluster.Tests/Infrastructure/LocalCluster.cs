using System.Diagnostics;
using Xunit.Sdk;

namespace Pop3Gateway.Cluster.Tests.Infrastructure;

/// <summary>One running process of the cluster, as <c>cluster.sh pids</c> prints it.</summary>
public sealed record ClusterProcess(string Role, string Name, int Pid);

/// <summary>
/// The local cluster of <c>deploy/local/cluster.sh</c> in a temporary directory, on free loopback ports
/// (never the 7110/7024 of a developer's cluster), running the pop3gw.dll built beside these tests.
/// Disposing runs <c>cluster.sh down</c> and then SIGKILLs whatever PID it printed that still lives.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    public const int SigKill = Signals.Kill;
    public const int SigTerm = Signals.Term;

    /// <summary>SIGSTOP and SIGCONT on Linux x86-64 and arm64: a process frozen and thawed.</summary>
    public const int SigStop = 19;
    public const int SigCont = 18;

    /// <summary>A directory the cluster's logs are copied to when the tests end (tests/run.sh sets it).</summary>
    public const string LogsVariable = "POP3GW_CLUSTER_LOGS";

    /// <summary>Bringing four .NET processes, Azurite and HAProxy up on a loaded 2-core machine.</summary>
    private static readonly TimeSpan UpTimeout = TimeSpan.FromSeconds(240);

    /// <summary>A SIGTERMed front-end drains for <see cref="DrainTimeout"/>; the rest is leaving the cluster.</summary>
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Drain time of the test cluster: the load's sessions last about a second, so 10 s is plenty.</summary>
    private const string DrainTimeout = "00:00:10";

    private readonly string _script;
    private readonly HashSet<int> _seenPids = [];

    /// <param name="settingsOf">Settings for one process alone (its name → <c>KEY=VALUE</c> lines), winning over the others.</param>
    public LocalCluster(IReadOnlyDictionary<string, IReadOnlyList<string>>? settingsOf = null)
    {
        Root = Path.Combine(Path.GetTempPath(), $"pop3gw-cluster-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Root);
        _script = FindScript();
        var ports = FreePorts.Allocate(2);
        (Pop3Port, LmtpPort) = (ports[0], ports[1]);
        var environment = new Dictionary<string, string>
        {
            ["CLUSTER_DIR"] = Root,
            ["POP3_PORT"] = Pop3Port.ToString(),
            ["LMTP_PORT"] = LmtpPort.ToString(),
            ["POP3GW_BUILD"] = AppContext.BaseDirectory,
            ["UP_TIMEOUT"] = ((int)UpTimeout.TotalSeconds - 30).ToString(),
            ["POP3GW__Shutdown__DrainTimeout"] = DrainTimeout,
            ["DOTNET_NOLOGO"] = "1",
        };
        if (System.Environment.GetEnvironmentVariable("CLUSTER_ROLES") is { Length: > 0 } roles)
        {
            environment["CLUSTER_ROLES"] = roles;
        }
        foreach (var (name, settings) in settingsOf ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            environment[$"CLUSTER_SETTINGS_{name}"] = string.Join('\n', settings);
        }
        // POP3GW__ settings of the test run (log levels, say) reach every process of the cluster.
        foreach (var key in System.Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("POP3GW__", StringComparison.Ordinal)))
        {
            environment[key] = System.Environment.GetEnvironmentVariable(key)!;
        }
        Environment = environment;
    }

    public string Root { get; }

    /// <summary>HAProxy's POP3 entry point.</summary>
    public int Pop3Port { get; }

    /// <summary>HAProxy's LMTP entry point.</summary>
    public int LmtpPort { get; }

    private IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>A private port <c>cluster.sh up</c> chose, by its key in the ports file (e.g. <c>silo1_gateway</c>).</summary>
    public int PortOf(string key)
    {
        var prefix = key + "=";
        var line = File.ReadLines(Path.Combine(Root, "ports")).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"no port {key} in {Root}/ports");
        return int.Parse(line[prefix.Length..]);
    }

    /// <summary><c>cluster.sh up</c>: returns once the cluster serves, or fails with the script's output.</summary>
    public async Task UpAsync()
    {
        var result = await RunAsync(["up"], UpTimeout);
        if (result.ExitCode != 0)
        {
            throw new XunitException($"cluster.sh up failed: {result}\n{LogTails()}");
        }
        await PidsAsync();
    }

    public async Task<IReadOnlyList<ClusterProcess>> PidsAsync()
    {
        var result = await RunAsync(["pids"]);
        var processes = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Select(parts => new ClusterProcess(parts[0], parts[1], int.Parse(parts[2])))
            .ToList();
        lock (_seenPids)
        {
            _seenPids.UnionWith(processes.Select(p => p.Pid));
        }
        return processes;
    }

    /// <summary>Sends a signal to one process of the cluster; returns its PID.</summary>
    public async Task<int> SignalAsync(string name, int signal)
    {
        var process = (await PidsAsync()).SingleOrDefault(p => p.Name == name)
            ?? throw new XunitException($"{name} is not running");
        Signals.Send(process.Pid, signal);
        return process.Pid;
    }

    /// <summary>Waits until a signalled process has exited (a SIGTERMed front-end drains first).</summary>
    public async Task WaitForExitAsync(string name, int pid)
    {
        if (!await ExitsWithinAsync(pid, ExitTimeout))
        {
            throw new XunitException($"{name} ({pid}) did not exit within {ExitTimeout.TotalSeconds} s of its signal\n{LogTail(name)}");
        }
    }

    /// <summary>Whether a process has exited, or does within <paramref name="bound"/>.</summary>
    public async Task<bool> ExitsWithinAsync(int pid, TimeSpan bound)
    {
        var watch = Stopwatch.StartNew();
        while (Directory.Exists($"/proc/{pid}") && !IsZombie(pid))
        {
            if (watch.Elapsed > bound)
            {
                return false;
            }
            await Task.Delay(100);
        }
        return true;
    }

    /// <summary><c>cluster.sh start NAME</c>: the process comes back with its settings and ports and is ready.</summary>
    public async Task StartAsync(string name)
    {
        var result = await RunAsync(["start", name], UpTimeout);
        if (result.ExitCode != 0)
        {
            throw new XunitException($"cluster.sh start {name} failed: {result}\n{LogTail(name)}");
        }
        await PidsAsync();
    }

    /// <summary><c>cluster.sh cli ARGS</c>; fails the test unless it exits 0. Returns stdout.</summary>
    public async Task<string> CliOkAsync(string[] args, string? stdin = null, TimeSpan? timeout = null)
    {
        var result = await ProcessRunner.RunAsync("bash", [_script, "cli", .. args], Environment, stdin, Root, timeout);
        return result.ExitCode == 0 ? result.Stdout : throw new XunitException($"cluster.sh cli failed: {result}");
    }

    public string LogTail(string name, int lines = 40)
    {
        var file = Path.Combine(Root, $"{name}.log");
        var text = File.Exists(file) ? File.ReadAllLines(file) : [];
        return $"--- {file} (last {lines} lines) ---\n{string.Join('\n', text.TakeLast(lines))}";
    }

    public string LogTails() =>
        string.Join('\n', new[] { "silo1", "silo2", "frontend1", "frontend2", "haproxy", "azurite" }.Select(n => LogTail(n, 15)));

    public async ValueTask DisposeAsync()
    {
        if (!Directory.Exists(Root))
        {
            // Disposed already (a fixture whose start failed is disposed by itself and again by xunit).
            return;
        }
        try
        {
            await PidsAsync();
            await RunAsync(["down"], TimeSpan.FromSeconds(120));
        }
        catch (Exception e) when (e is TimeoutException or IOException or InvalidOperationException)
        {
            // Whatever 'down' left running is killed below.
        }
        finally
        {
            KillSurvivors();
            KeepLogs();
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp directory is not worth failing a test run for.
            }
        }
    }

    /// <summary>Copies the processes' logs to <see cref="LogsVariable"/>, when set, before the directory goes.</summary>
    private void KeepLogs()
    {
        if (System.Environment.GetEnvironmentVariable(LogsVariable) is not { Length: > 0 } target || !Directory.Exists(Root))
        {
            return;
        }
        Directory.CreateDirectory(target);
        foreach (var log in Directory.EnumerateFiles(Root, "*.log").Concat(Directory.EnumerateFiles(Root, "*.cfg")))
        {
            File.Copy(log, Path.Combine(target, Path.GetFileName(log)), overwrite: true);
        }
    }

    private void KillSurvivors()
    {
        int[] pids;
        lock (_seenPids)
        {
            pids = [.. _seenPids];
        }
        foreach (var pid in pids.Where(p => Directory.Exists($"/proc/{p}") && !IsZombie(p)))
        {
            // Only PIDs the script printed for this cluster: a process cluster.sh down failed to stop.
            Signals.TrySend(pid, SigKill);
        }
    }

    private Task<ProcessResult> RunAsync(string[] args, TimeSpan? timeout = null) =>
        ProcessRunner.RunAsync("bash", [_script, .. args], Environment, null, Root, timeout);

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static string FindScript()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "deploy", "local", "cluster.sh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("deploy/local/cluster.sh not found above " + AppContext.BaseDirectory);
    }
}
