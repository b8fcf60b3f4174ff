using System.Diagnostics;

namespace Pop3Gateway.Testing;

/// <summary>
/// A private Azurite on free loopback ports and a temporary location. The binary is the one
/// tests/azurite.sh installs into .tools/azurite (tests/run.sh does), or the one named by
/// <c>POP3GW_TEST_AZURITE</c>; a missing Azurite fails the tests that need it. It can be stopped
/// and started again on the same ports and data, to play a storage outage.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    public const string BinaryVariable = "POP3GW_TEST_AZURITE";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private readonly string _binary;
    private readonly string _location = Path.Combine(Path.GetTempPath(), $"pop3gw-azurite-{Guid.NewGuid():N}");
    private readonly int[] _ports = FreePorts.Allocate(3);
    private Process? _process;

    public AzuriteProcess()
    {
        _binary = FindBinary();
        Directory.CreateDirectory(_location);
    }

    public string ConnectionString => ConnectionStringFor(_ports[0], _ports[1], _ports[2]);

    /// <summary>The connection string of an Azurite on these ports (or of none: storage that is down).</summary>
    public static string ConnectionStringFor(int blobPort, int queuePort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";

    /// <summary>Starts Azurite and waits until its blob and table ports accept connections.</summary>
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

        await Eventually.UntilAsync("azurite to listen", StartTimeout, async () =>
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"azurite exited with {process.ExitCode} while starting");
            }
            return await TcpProbe.WhyNotListeningAsync(_ports[0]) ?? await TcpProbe.WhyNotListeningAsync(_ports[2]);
        });
    }

    /// <summary>Stops Azurite (SIGTERM, so it saves its data) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }
        Signals.TrySend(process.Id, Signals.Term);
        await ChildProcessCleanup.ExitedWithinAsync(process, StopTimeout);
    }

    public async ValueTask DisposeAsync() => await ChildProcessCleanup.StopAndDeleteAsync(_process, _location);

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
            $"azurite is not installed: run tests/run.sh (tests/azurite.sh installs azurite@3.35.0 into .tools/azurite) or set {BinaryVariable}");
    }
}
