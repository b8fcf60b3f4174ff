using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Pop3Gateway.Integration.Tests.Infrastructure;

/// <summary>
/// A private Azurite (installed by tests/run.sh into .tools/azurite, or named by
/// <c>POP3GW_TEST_AZURITE</c>) on free loopback ports and a temporary location. It can be stopped
/// and started again on the same ports and data, to play a storage outage.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    public const string BinaryVariable = "POP3GW_TEST_AZURITE";
    private const int SigTerm = 15;
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly string _binary;
    private readonly string _location = Path.Combine(Path.GetTempPath(), $"pop3gw-azurite-{Guid.NewGuid():N}");
    private readonly int[] _ports = FreePorts.Allocate(3);
    private Process? _process;

    public AzuriteProcess()
    {
        _binary = FindBinary();
        Directory.CreateDirectory(_location);
    }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{_ports[0]}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{_ports[1]}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{_ports[2]}/devstoreaccount1;";

    public async Task StartAsync()
    {
        var info = new ProcessStartInfo(_binary)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "--silent", "--skipApiVersionCheck", "--disableTelemetry", "--location", _location,
            "--blobHost", "127.0.0.1", "--blobPort", _ports[0].ToString(),
            "--queueHost", "127.0.0.1", "--queuePort", _ports[1].ToString(),
            "--tableHost", "127.0.0.1", "--tablePort", _ports[2].ToString(),
        })
        {
            info.ArgumentList.Add(argument);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {_binary}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"azurite exited with {process.ExitCode} while starting");
            }
            if (await AcceptsAsync(_ports[0]) && await AcceptsAsync(_ports[2]))
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"azurite did not listen within {StartTimeout.TotalSeconds} s");
    }

    /// <summary>Stops Azurite (SIGTERM, so it saves its data) and waits until its ports are closed.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }
        _ = kill(process.Id, SigTerm);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync() => await ChildProcessCleanup.StopAndDeleteAsync(_process, _location);

    private static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync("127.0.0.1", port, attempt.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static string FindBinary()
    {
        if (Environment.GetEnvironmentVariable(BinaryVariable) is { Length: > 0 } named && File.Exists(named))
        {
            return named;
        }
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, ".tools", "azurite", "node_modules", ".bin", "azurite");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException(
            $"azurite is not installed: run tests/run.sh (it installs azurite@3.35.0 into .tools/azurite) or set {BinaryVariable}");
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
