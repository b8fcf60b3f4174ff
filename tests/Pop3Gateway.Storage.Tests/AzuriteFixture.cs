using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Pop3Gateway.Storage.Azure;

namespace Pop3Gateway.Storage.Tests;

/// <summary>
/// A private Azurite (installed by tests/run.sh into .tools/azurite, or named by
/// <c>POP3GW_TEST_AZURITE</c>) on free loopback ports and a temporary location.
/// Missing Azurite fails the tests that use it: run tests/run.sh once to install it.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly string _location = Path.Combine(Path.GetTempPath(), $"pop3gw-azurite-{Guid.NewGuid():N}");
    private Process? _process;
    private int _blobPort;

    public AzureStorageOptions Options(string prefix) => new()
    {
        ConnectionString = ConnectionFor(_blobPort),
        BlobContainer = $"{prefix}-messages",
        IndexContainer = $"{prefix}-index",
        StateContainer = $"{prefix}-state",
    };

    /// <summary>A connection string for a loopback port where nothing listens: storage is "down".</summary>
    public static string Unreachable() => ConnectionFor(FreePort());

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_location);
        _blobPort = FreePort();
        var info = new ProcessStartInfo(FindBinary()) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "--silent", "--skipApiVersionCheck", "--disableTelemetry", "--location", _location,
            "--blobHost", "127.0.0.1", "--blobPort", _blobPort.ToString(),
            "--queueHost", "127.0.0.1", "--queuePort", FreePort().ToString(),
            "--tableHost", "127.0.0.1", "--tablePort", FreePort().ToString(),
        })
        {
            info.ArgumentList.Add(argument);
        }
        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start azurite");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, _blobPort);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException("azurite did not listen within 30 s");
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        _process?.Dispose();
        try
        {
            Directory.Delete(_location, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string ConnectionFor(int blobPort) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindBinary()
    {
        if (Environment.GetEnvironmentVariable("POP3GW_TEST_AZURITE") is { Length: > 0 } named && File.Exists(named))
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
        throw new InvalidOperationException("azurite is not installed: run tests/run.sh (it installs azurite@3.35.0 into .tools/azurite) or set POP3GW_TEST_AZURITE");
    }
}
