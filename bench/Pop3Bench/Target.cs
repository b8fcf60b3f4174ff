using System.Net;

namespace Pop3Bench;

/// <summary>One server under test: where it listens and which processes are its.</summary>
public sealed record Target(string Name, IPEndPoint EndPoint, ServerProcesses Processes)
{
    /// <summary>How the <c>full</c> and <c>login</c> clients connect to it.</summary>
    public ClientSetup Client { get; init; } = ClientSetup.Plain;

    /// <summary>Every TLS handshake with this server (when <see cref="Client"/> uses TLS).</summary>
    public TlsHandshakeLog? Handshakes { get; init; }

    /// <summary>Processes measured on their own too (pop3gw's silo and front-end when split).</summary>
    public IReadOnlyList<ServerProcesses> Roles { get; init; } = [];

    /// <summary>Where to read the grain-call counter (a Prometheus /metrics page), if any.</summary>
    public GrainCallCounter? GrainCalls { get; init; }
}

/// <summary>Counts errors and keeps the first few distinct messages to print.</summary>
public sealed class ErrorLog
{
    private const int MessagesKept = 5;
    private readonly List<string> _messages = [];
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    public void Add(string message)
    {
        Interlocked.Increment(ref _count);
        lock (_messages)
        {
            if (_messages.Count < MessagesKept && !_messages.Contains(message))
            {
                _messages.Add(message);
            }
        }
    }
}

public static class Stats
{
    public static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToList();
        if (sorted.Count == 0)
        {
            return double.NaN;
        }
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
