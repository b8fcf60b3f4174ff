namespace Pop3Gateway.Abstractions.Telemetry;

/// <summary>Names under which every part of the gateway reports traces and metrics.</summary>
public static class TelemetryNames
{
    /// <summary>The meter of all Pop3Gateway instruments.</summary>
    public const string Meter = "Pop3Gateway";

    /// <summary>The activity source of POP3 session, command and LMTP delivery spans.</summary>
    public const string ActivitySource = "Pop3Gateway";
}
