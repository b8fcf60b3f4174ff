using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Pop3Gateway.Abstractions.Telemetry;
using Pop3Gateway.Host.Configuration;
using Pop3Gateway.Host.Management;

namespace Pop3Gateway.Host.Telemetry;

/// <summary>
/// OpenTelemetry for every role: the gateway's meter, Orleans' meter and the .NET runtime's
/// meter exported as Prometheus text on the management port, traces of sessions, commands and the grain
/// calls they make; OTLP for all three signals when OTEL_EXPORTER_OTLP_ENDPOINT is set.
/// </summary>
public static class TelemetrySetup
{
    /// <summary>Orleans' own meter and activity sources.</summary>
    private static readonly string[] OrleansMeters = ["Microsoft.Orleans"];
    private static readonly string[] OrleansSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    /// <summary>
    /// The runtime's built-in meter (.NET 9 and later): CPU time, working set, GC collections and heap sizes,
    /// thread pool threads and queue, lock contention, exceptions.
    /// </summary>
    private const string RuntimeMeter = "System.Runtime";

    public static bool OtlpConfigured =>
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));

    /// <summary>The pod's name in Kubernetes (<c>POD_NAME</c>), else the machine's.</summary>
    private static string InstanceId =>
        Environment.GetEnvironmentVariable(OrleansSettings.PodNameVariable) is { Length: > 0 } pod ? pod : Environment.MachineName;

    private static IEnumerable<KeyValuePair<string, object>> ResourceAttributes(string role)
    {
        yield return new("pop3gw.role", role);
        if (Environment.GetEnvironmentVariable(OrleansSettings.PodNamespaceVariable) is { Length: > 0 } ns)
        {
            yield return new("k8s.namespace.name", ns);
        }
    }

    public static void AddGatewayTelemetry(this IServiceCollection services, ILoggingBuilder logging, string role)
    {
        var otlp = OtlpConfigured;
        var builder = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("pop3gw", serviceInstanceId: InstanceId)
                .AddAttributes(ResourceAttributes(role)))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(TelemetryNames.Meter).AddMeter(OrleansMeters).AddMeter(RuntimeMeter).AddPrometheusExporter()
                    .AddReader(provider => provider.GetRequiredService<OperatorMetrics>().Reader);
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            // Spans are recorded only when something exports them: with no exporter the
            // activity sources have no listener and a span costs next to nothing.
            builder.WithTracing(tracing => tracing
                .AddSource(TelemetryNames.ActivitySource)
                .AddSource(OrleansSources)
                .AddOtlpExporter());
            logging.AddOpenTelemetry(options => options.AddOtlpExporter());
        }
    }
}
