using System.Diagnostics;
using System.Net;

namespace Pop3Gateway.Integration.Tests.Infrastructure;

/// <summary>
/// Servers in separate roles: a <c>silo</c> process and <c>frontend</c> processes joined to it (its gateway
/// port, its data directory or Azure containers and cluster id), plus the management probes tests poll.
/// </summary>
public static class RoleProcesses
{
    public static ServerProcess Silo(IReadOnlyDictionary<string, string>? settings = null) => new(settings, role: "silo");

    public static ServerProcess Frontend(ServerProcess silo, IReadOnlyDictionary<string, string>? settings = null)
    {
        var joined = new Dictionary<string, string>(StorageProfile.SettingsFor(silo.DataDirectory))
        {
            ["POP3GW__Storage__DataDirectory"] = silo.DataDirectory,
            ["POP3GW__Orleans__GatewayPort"] = silo.GatewayPort.ToString(),
            ["POP3GW__Orleans__SiloPort"] = silo.SiloPort.ToString(),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            joined[key] = value;
        }
        return new ServerProcess(joined, role: "frontend");
    }

    /// <summary>The status code of <c>/health/ready</c>; 0 when the port does not answer.</summary>
    public static async Task<int> ReadyStatusAsync(ServerProcess server)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync($"http://127.0.0.1:{server.ManagementPort}/health/ready");
            return (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }

    /// <summary>Polls <c>/health/ready</c> until it is 200 (<paramref name="ready"/>) or not; returns how long that took.</summary>
    public static async Task<TimeSpan> WaitForReadinessAsync(ServerProcess server, bool ready, TimeSpan within)
    {
        var watch = Stopwatch.StartNew();
        var last = 0;
        while (watch.Elapsed < within)
        {
            last = await ReadyStatusAsync(server);
            if ((last == (int)HttpStatusCode.OK) == ready)
            {
                return watch.Elapsed;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException(
            $"/health/ready of the {server.Role} on {server.ManagementPort} was still {last} after {within.TotalSeconds} s, expected {(ready ? "200" : "not 200")}\n{server.LogTail()}");
    }

    /// <summary>Logs in with USER/PASS, retrying while the cluster is not serving yet; returns the session and how long it took.</summary>
    public static async Task<(RawPop3Client Client, TimeSpan Took)> LoginSoonAsync(int port, TestAccount account, TimeSpan within)
    {
        var watch = Stopwatch.StartNew();
        var last = "";
        while (watch.Elapsed < within)
        {
            var client = await RawPop3Client.ConnectAsync(port);
            await client.ExpectOkAsync($"USER {account.Login}");
            last = await client.CommandAsync($"PASS {account.Password}");
            if (last.StartsWith("+OK", StringComparison.Ordinal))
            {
                return (client, watch.Elapsed);
            }
            await client.DisposeAsync();
            await Task.Delay(500);
        }
        throw new TimeoutException($"no login within {within.TotalSeconds} s; last PASS reply '{last}'");
    }
}
