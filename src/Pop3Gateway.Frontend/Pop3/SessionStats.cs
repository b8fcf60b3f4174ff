using System.Diagnostics;
using Pop3Gateway.Frontend.Telemetry;

namespace Pop3Gateway.Frontend.Pop3;

/// <summary>What one POP3 session did, for its closing log line and metrics (like Dovecot's logout line).</summary>
internal sealed class SessionStats
{
    private readonly long _started = Stopwatch.GetTimestamp();

    public int Commands { get; private set; }
    public int Retr { get; private set; }
    public int Top { get; private set; }
    public int Dele { get; private set; }
    public string Reason { get; set; } = "disconnected";

    public long DurationMs => (long)Stopwatch.GetElapsedTime(_started).TotalMilliseconds;

    /// <summary>Counts one answered command and records its metrics; <paramref name="command"/> is null for an unparsable line.</summary>
    public void Record(string? command, bool ok, TimeSpan elapsed)
    {
        Commands++;
        if (ok)
        {
            switch (command)
            {
                case "RETR": Retr++; break;
                case "TOP": Top++; break;
                case "DELE": Dele++; break;
            }
        }
        FrontendTelemetry.RecordCommand(command ?? "invalid", ok, elapsed);
    }
}
