using System.Diagnostics;
using System.Net.Security;
using Pop3Gateway.Frontend.Telemetry;

namespace Pop3Gateway.Frontend.Pop3;

/// <summary>What one POP3 session did, for its closing log line and metrics (like Dovecot's logout line).</summary>
internal sealed class SessionStats(string connectionId, string client)
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private SslStream? _tls;
    private CountingPipeWriter? _tlsOutput;

    public string ConnectionId { get; } = connectionId;

    /// <summary>The client address the session counts under (from a PROXY header when there is one).</summary>
    public string Client { get; } = client;

    /// <summary>Octets written to the client after STLS (those before are counted by the plaintext writer).</summary>
    public long TlsBytesWritten => _tlsOutput?.BytesWritten ?? 0;

    /// <summary>The session went on over TLS after STLS: the stream to close at the end and the writer to count.</summary>
    public void UseTls(SslStream tls, CountingPipeWriter output) => (_tls, _tlsOutput) = (tls, output);

    public async Task DisposeTlsAsync()
    {
        if (Interlocked.Exchange(ref _tls, null) is { } tls)
        {
            await tls.DisposeAsync();
        }
    }

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
