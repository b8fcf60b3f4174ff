using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Pop3Gateway.Integration.Tests.Infrastructure;

/// <summary>
/// One <c>pop3gw serve</c> child process on three free loopback ports and its own data
/// directory. It can be stopped (SIGTERM), killed (SIGKILL) and started again on the same
/// ports and data, and runs CLI commands against itself with the same settings.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly List<string> _log = [];
    private readonly Lock _logLock = new();
    private readonly byte[] _probePreamble;
    private Process? _process;

    /// <param name="settings">More <c>POP3GW__…</c> variables (TLS, limits, proxies), added to the defaults.</param>
    /// <param name="probePreamble">Bytes the readiness probe sends before reading the greeting (a PROXY header).</param>
    /// <param name="role">The <c>--role</c> of <c>pop3gw serve</c>; null runs the default (combined).</param>
    public ServerProcess(IReadOnlyDictionary<string, string>? settings = null, byte[]? probePreamble = null, string? role = null)
    {
        _probePreamble = probePreamble ?? [];
        Role = role;
        Root = Path.Combine(Path.GetTempPath(), $"pop3gw-it-{Guid.NewGuid():N}");
        DataDirectory = Path.Combine(Root, "data");
        Directory.CreateDirectory(Root);
        var ports = FreePorts.Allocate(5);
        (Pop3Port, SiloPort, GatewayPort, ManagementPort, LmtpPort) = (ports[0], ports[1], ports[2], ports[3], ports[4]);
        var environment = SettingsFor(Pop3Port, SiloPort, GatewayPort, DataDirectory);
        environment["POP3GW__Management__Port"] = ManagementPort.ToString();
        environment["POP3GW__Lmtp__Port"] = LmtpPort.ToString();
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        Environment = environment;
    }

    /// <summary>Temporary directory of this server: data, log, scratch files of the tests.</summary>
    public string Root { get; }

    public string DataDirectory { get; }

    public int Pop3Port { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    /// <summary>The management HTTP port: health, metrics, the operator page.</summary>
    public int ManagementPort { get; }

    public int LmtpPort { get; }

    /// <summary>The <c>POP3GW__…</c> variables the server and its CLI calls get.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The <c>--role</c> given to <c>serve</c>, or null for the default.</summary>
    public string? Role { get; }

    /// <summary>The process id of the running server, for tests that signal it themselves.</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("the server was never started");

    public static string ExecutablePath => Path.Combine(AppContext.BaseDirectory, "pop3gw.dll");

    public static string DotnetPath =>
        System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public static Dictionary<string, string> SettingsFor(int pop3Port, int siloPort, int gatewayPort, string dataDirectory) =>
        new Dictionary<string, string>(BaseSettings(pop3Port, siloPort, gatewayPort, dataDirectory).Concat(StorageProfile.SettingsFor(dataDirectory)));

    private static Dictionary<string, string> BaseSettings(int pop3Port, int siloPort, int gatewayPort, string dataDirectory) => new()
    {
        ["POP3GW__Pop3__Address"] = "127.0.0.1",
        ["POP3GW__Pop3__Port"] = pop3Port.ToString(),
        ["POP3GW__Orleans__SiloPort"] = siloPort.ToString(),
        ["POP3GW__Orleans__GatewayPort"] = gatewayPort.ToString(),
        ["POP3GW__Storage__DataDirectory"] = dataDirectory,
        // A server stopped with a session open waits this long, not the 25 s of production (drain tests set their own).
        ["POP3GW__Shutdown__DrainTimeout"] = "00:00:05",
        // Keeps the log tail in failure messages about the server, not about Orleans' retry pipeline.
        ["POP3GW__Logging__LogLevel__Polly"] = "Warning",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
    };

    /// <summary>Starts the server (again, on the same ports and data) and waits until POP3 greets with +OK.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("the server is already running");
        }
        var info = new ProcessStartInfo(DotnetPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Root,
        };
        info.ArgumentList.Add(ExecutablePath);
        info.ArgumentList.Add("serve");
        if (Role is { } role)
        {
            info.ArgumentList.Add("--role");
            info.ArgumentList.Add(role);
        }
        // Pod and cluster variables of the machine running the tests must not steer the server off loopback.
        foreach (var inherited in info.Environment.Keys.Where(k => k.StartsWith("POP3GW__", StringComparison.Ordinal) || IsPodVariable(k)).ToList())
        {
            info.Environment.Remove(inherited);
        }
        foreach (var (key, value) in Environment)
        {
            info.Environment[key] = value;
        }
        Append($"=== starting {ExecutablePath} serve {Role} (pop3 {Pop3Port}, silo {SiloPort}, gateway {GatewayPort}, data {DataDirectory})");
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Exited += (_, _) => Append($"=== server exited with {SafeExitCode(process)}");
        process.Start();
        ChildProcessCleanup.KillAtExit(process);
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilReadyAsync(process);
    }

    /// <summary>Sends SIGTERM and waits for a clean exit; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        Terminate();
        return await WaitForExitAsync(StopTimeout);
    }

    /// <summary>Sends SIGTERM and returns at once: the server drains and exits by itself.</summary>
    public void Terminate()
    {
        var process = _process ?? throw new InvalidOperationException("the server was never started");
        Append("=== sending SIGTERM");
        if (!process.HasExited)
        {
            Signals.Send(process.Id, Signals.Term);
        }
    }

    /// <summary>Waits for the server to exit; returns the exit code, or kills it and fails after <paramref name="within"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan within)
    {
        var process = _process ?? throw new InvalidOperationException("the server was never started");
        if (!await ChildProcessCleanup.ExitedWithinAsync(process, within))
        {
            throw new TimeoutException($"the server did not exit within {within.TotalSeconds} s of SIGTERM\n{LogTail()}");
        }
        return process.ExitCode;
    }

    /// <summary>SIGKILL: the process gets no chance to clean up.</summary>
    public async Task KillAsync()
    {
        var process = _process ?? throw new InvalidOperationException("the server was never started");
        if (!process.HasExited)
        {
            Append("=== sending SIGKILL");
            process.Kill(entireProcessTree: false);
        }
        await process.WaitForExitAsync();
    }

    /// <summary>Runs <c>pop3gw ARGS</c> against this server, with its settings.</summary>
    public Task<ProcessResult> CliAsync(string[] args, string? stdin = null, TimeSpan? timeout = null) =>
        RunCliAsync(Environment, Root, args, stdin, timeout);

    public static Task<ProcessResult> RunCliAsync(
        IReadOnlyDictionary<string, string> environment, string workingDirectory, string[] args, string? stdin = null, TimeSpan? timeout = null) =>
        ProcessRunner.RunAsync(DotnetPath, [ExecutablePath, .. args], environment, stdin, workingDirectory, timeout);

    /// <summary>The last lines of the server's output, for failure messages.</summary>
    public string LogTail(int lines = 80)
    {
        lock (_logLock)
        {
            var tail = _log.Skip(Math.Max(0, _log.Count - lines));
            return $"--- server log (last {lines} lines, {Root}/server.log) ---\n{string.Join('\n', tail)}";
        }
    }

    public async ValueTask DisposeAsync() => await ChildProcessCleanup.StopAndDeleteAsync(_process, Root);

    private static bool IsPodVariable(string name) =>
        name is "POD_IP" or "POD_NAME" or "POD_NAMESPACE" || name.StartsWith("ORLEANS_", StringComparison.Ordinal);

    private Task WaitUntilReadyAsync(Process process) => Role == "silo"
        // A silo has no POP3 port: it is up once its management port reports ready.
        ? PollUntilReadyAsync(process, $"the silo's management port {ManagementPort} to report ready", ProbeSiloAsync)
        : PollUntilReadyAsync(process, $"POP3 port {Pop3Port} to greet with +OK", ProbePop3Async);

    /// <summary>Runs <paramref name="probe"/> (null when ready, else why not) until it succeeds, the process exits or time runs out.</summary>
    private async Task PollUntilReadyAsync(Process process, string what, Func<Task<string?>> probe)
    {
        try
        {
            var took = await Eventually.UntilAsync(what, StartTimeout, () => process.HasExited
                ? throw new InvalidOperationException($"the server exited with {process.ExitCode} while starting\n{LogTail()}")
                : probe(), TimeSpan.FromMilliseconds(250));
            Append($"=== ready after {took.TotalSeconds:F1} s");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{LogTail()}", e);
        }
    }

    private async Task<string?> ProbeSiloAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync($"http://127.0.0.1:{ManagementPort}/health/ready");
            return response.IsSuccessStatusCode ? null : $"/health/ready answered {(int)response.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return e.Message;
        }
    }

    private async Task<string?> ProbePop3Async()
    {
        try
        {
            using var client = new TcpClient();
            using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await client.ConnectAsync("127.0.0.1", Pop3Port, attempt.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(_probePreamble, attempt.Token);
            var greeting = await new StreamReader(stream, Encoding.Latin1).ReadLineAsync(attempt.Token);
            if (greeting?.StartsWith("+OK", StringComparison.Ordinal) == true)
            {
                await stream.WriteAsync("QUIT\r\n"u8.ToArray(), attempt.Token);
                return null;
            }
            return $"greeting was '{greeting}'";
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return e.Message;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_logLock)
        {
            _log.Add(line);
            try
            {
                File.AppendAllText(Path.Combine(Root, "server.log"), line + "\n");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Output that arrives after the directory was removed stays in memory only.
            }
        }
    }

    private static string SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode.ToString();
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }
}
