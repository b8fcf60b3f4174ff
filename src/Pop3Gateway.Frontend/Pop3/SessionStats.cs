using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Pop3Gateway.Frontend.Telemetry;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Frontend.Pop3;

/// <summary>
/// What one POP3 session did, for its span, its metrics and its closing log line (like Dovecot's logout
/// line). Made when the session starts, which opens its span and counts it; <see cref="End"/> closes both.
/// </summary>
internal sealed class SessionStats
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly Activity? _span;
    private readonly ILogger _logger;

    public SessionStats(string connectionId, string client, ILogger logger)
    {
        ConnectionId = connectionId;
        Client = client;
        _logger = logger;
        _span = FrontendTelemetry.Source.StartActivity("pop3.session", ActivityKind.Server);
        _span?.SetTag("client.address", client);
        FrontendTelemetry.SessionsOpened.Add(1);
        FrontendTelemetry.SessionsActive.Add(1);
        FrontendLog.ConnectionOpened(logger, connectionId, client);
    }

    public string ConnectionId { get; }

    /// <summary>The client address the session counts under (from a PROXY header when there is one).</summary>
    public string Client { get; }

    public int Commands { get; private set; }
    public int Retr { get; private set; }
    public int Top { get; private set; }
    public int Dele { get; private set; }
    public string Reason { get; set; } = "disconnected";

    /// <summary>The span of one command, a child of the session's; null when nothing listens.</summary>
    public static Activity? StartCommand() => FrontendTelemetry.Source.StartActivity("pop3.command");

    /// <summary>Counts one answered command and records its metrics; <paramref name="command"/> is null for an unparsable line.</summary>
    public void Record(string? command, Pop3Reply reply, long startedTimestamp, Activity? span)
    {
        Commands++;
        var ok = reply.IsOk;
        if (ok)
        {
            switch (command)
            {
                case "RETR": Retr++; break;
                case "TOP": Top++; break;
                case "DELE": Dele++; break;
            }
        }
        FrontendTelemetry.RecordCommand(command ?? "invalid", ok, Stopwatch.GetElapsedTime(startedTimestamp));
        span?.SetTag("pop3.command", command ?? "invalid").SetTag("pop3.status", ok ? "+OK" : "-ERR");
        if (reply.Message is { } message && ok)
        {
            span?.SetTag("pop3.octets", message.Size);
        }
    }

    /// <summary>The session is over: counts it out, closes its span and writes its closing log line.</summary>
    public void End(string? mailbox, long bytesSent)
    {
        FrontendTelemetry.SessionsActive.Add(-1);
        FrontendTelemetry.BytesSent.Add(bytesSent);
        _span?.SetTag("pop3.mailbox", mailbox).SetTag("pop3.outcome", Reason);
        FrontendLog.SessionEnded(_logger, ConnectionId, Client, mailbox, Reason, Commands, Retr, Top, Dele, bytesSent,
            (long)Stopwatch.GetElapsedTime(_started).TotalMilliseconds);
        _span?.Dispose();
    }
}
