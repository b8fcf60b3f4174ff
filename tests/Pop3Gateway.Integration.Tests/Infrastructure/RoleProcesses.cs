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

    /// <summary>Waits until <c>/health/ready</c> is 200 (<paramref name="ready"/>) or not; returns how long that took.</summary>
    public static async Task<TimeSpan> WaitForReadinessAsync(ServerProcess server, bool ready, TimeSpan within)
    {
        try
        {
            return await Eventually.UntilAsync($"/health/ready of the {server.Role} on {server.ManagementPort} to be {(ready ? "200" : "not 200")}", within,
                async () =>
                {
                    var status = await ReadyStatusAsync(server);
                    return (status == (int)HttpStatusCode.OK) == ready ? null : $"status {status}";
                },
                TimeSpan.FromMilliseconds(200));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{server.LogTail()}", e);
        }
    }

    /// <summary>Waits until <c>/health/ready</c> answers at all (the management port is up); returns the status code.</summary>
    public static async Task<int> AnsweredReadyStatusAsync(ServerProcess server, TimeSpan within)
    {
        var status = 0;
        await Eventually.UntilAsync($"/health/ready of the {server.Role} on {server.ManagementPort} to answer", within,
            async () => (status = await ReadyStatusAsync(server)) == 0 ? "no answer" : null);
        return status;
    }
}
