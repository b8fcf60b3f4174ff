using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Pop3Gateway.Host.Serve;

/// <summary>
/// The console log: <c>Logging:Format=text</c> (default), one line per event for people; <c>json</c>, one JSON
/// object per line for a log pipeline (<see cref="JsonLogFormatter"/>). Noisy framework categories are cut to warnings.
/// </summary>
internal static class LoggingSetup
{
    public const string FormatKey = "Logging:Format";

    /// <exception cref="InvalidOperationException"><c>Logging:Format</c> is neither <c>text</c> nor <c>json</c>.</exception>
    public static void AddConsoleLogging(ILoggingBuilder logging, IConfiguration configuration)
    {
        var format = configuration[FormatKey];
        logging.ClearProviders();
        if (string.IsNullOrWhiteSpace(format) || format.Trim().Equals("text", StringComparison.OrdinalIgnoreCase))
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }
        else if (format.Trim().Equals("json", StringComparison.OrdinalIgnoreCase))
        {
            logging.AddConsole(o => o.FormatterName = JsonLogFormatter.FormatterName)
                .AddConsoleFormatter<JsonLogFormatter, ConsoleFormatterOptions>();
        }
        else
        {
            throw new InvalidOperationException($"{FormatKey} '{format}' is not one of text, json (invalid configuration)");
        }
        logging.AddFilter("Orleans", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning).AddFilter("Polly", LogLevel.Warning);
    }
}
