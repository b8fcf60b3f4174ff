namespace Pop3Gateway.Host.Configuration;

/// <summary>
/// Configuration section <c>Logging</c>: the console format here; the standard provider subsections
/// (<c>Logging:LogLevel</c>, <c>Logging:Console</c>) pass through to Microsoft.Extensions.Logging unchecked.
/// </summary>
public sealed class LoggingOptions
{
    public const string Section = "Logging";

    /// <summary>Console log format: <c>Text</c>, one line per event for people, or <c>Json</c>, one JSON object per line.</summary>
    public LogFormat Format { get; set; } = LogFormat.Text;
}

/// <summary>The values of <c>Logging:Format</c>.</summary>
public enum LogFormat
{
    Text = 0,
    Json = 1,
}
