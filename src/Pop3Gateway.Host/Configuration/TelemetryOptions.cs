using Microsoft.Extensions.Configuration;

namespace Pop3Gateway.Host.Configuration;

/// <summary>Configuration section <c>Telemetry</c>. The exporters follow the standard <c>OTEL_*</c> environment variables.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>OpenTelemetry metrics, traces and the Prometheus endpoint; turned off only to measure their overhead.</summary>
    public bool Enabled { get; set; } = true;

    public static TelemetryOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
}
