using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Pop3Gateway.Host.Management;

/// <summary>
/// The management port's routes: Kubernetes-style probes, Prometheus text, and a small
/// operator page with the JSON it polls.
/// </summary>
public static class ManagementEndpoints
{
    public static void MapManagement(this IEndpointRouteBuilder app, bool metrics = true)
    {
        // Liveness answers from the process alone: no grain or storage call may make it fail.
        app.MapGet("/health/live", () => Results.Text("live\n"));
        app.MapGet("/health/startup", (Readiness readiness) =>
            readiness.Started ? Results.Text("started\n") : Results.Text("starting\n", statusCode: StatusCodes.Status503ServiceUnavailable));
        // Readiness asks only in-process state (membership snapshot, gateway connections): probes stay cheap.
        app.MapGet("/health/ready", (Readiness readiness, IClusterReachability cluster) =>
        {
            if (!readiness.Ready)
            {
                return Results.Text(readiness.Stopping ? "stopping\n" : "starting\n", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            return cluster.IsReachable
                ? Results.Text("ready\n")
                : Results.Text($"cluster unreachable: {cluster.Describe()}\n", statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        if (metrics)
        {
            app.MapPrometheusScrapingEndpoint("/metrics");
        }
        app.MapGet("/api/status", async (OperatorMetrics metrics, ClusterStatus cluster, TimeProvider time, CancellationToken cancellationToken) =>
        {
            var (totals, latency) = metrics.Read();
            return Results.Json(new OperatorStatus(
                Environment.MachineName,
                time.GetUtcNow(),
                Total(totals, "pop3.sessions.active"),
                Total(totals, "mailbox.locks.held"),
                latency,
                totals,
                await cluster.SilosAsync(cancellationToken)));
        });
        app.MapGet("/", () => Results.Content(OperatorPage.Html, "text/html; charset=utf-8"));
    }

    private static long Total(IReadOnlyDictionary<string, long> totals, string name) =>
        totals.Where(t => t.Key == name || t.Key.StartsWith(name + "{", StringComparison.Ordinal)).Sum(t => t.Value);
}

public sealed record LatencySummary(double P50Ms, double P99Ms, long Samples);

public sealed record OperatorStatus(
    string Host,
    DateTimeOffset Time,
    long SessionsActive,
    long LocksHeld,
    LatencySummary CommandLatency,
    IReadOnlyDictionary<string, long> Totals,
    IReadOnlyList<SiloHealth> Silos);
