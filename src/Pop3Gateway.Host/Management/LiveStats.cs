using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Pop3Gateway.Abstractions.Telemetry;

namespace Pop3Gateway.Host.Management;

/// <summary>
/// In-process totals of the gateway's own instruments, for the operator page: it listens
/// to the <see cref="TelemetryNames.Meter"/> meter directly, so it needs no exporter.
/// </summary>
public sealed class LiveStats : IDisposable
{
    /// <summary>Command latencies kept for the percentiles shown on the page.</summary>
    private const int LatencyWindow = 2048;

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _totals = new();
    private readonly double[] _latencies = new double[LatencyWindow];
    private long _latencyCount;

    public LiveStats(bool listen = true)
    {
        if (!listen)
        {
            return;
        }
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == TelemetryNames.Meter)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(Key(instrument.Name, tags), value));
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == "pop3.command.duration")
            {
                var slot = Interlocked.Increment(ref _latencyCount) - 1;
                _latencies[slot % LatencyWindow] = value;
            }
        });
        _listener.Start();
    }

    /// <summary>Totals by instrument name plus tag values, e.g. <c>pop3.commands{RETR,ok}</c>.</summary>
    public IReadOnlyDictionary<string, long> Totals() => new SortedDictionary<string, long>(_totals, StringComparer.Ordinal);

    /// <summary>p50 and p99 of the most recent command latencies, in milliseconds.</summary>
    public (double P50, double P99, long Samples) Latency()
    {
        var count = (int)Math.Min(Interlocked.Read(ref _latencyCount), LatencyWindow);
        if (count == 0)
        {
            return (0, 0, 0);
        }
        var copy = _latencies.AsSpan(0, count).ToArray();
        Array.Sort(copy);
        return (copy[(int)(count * 0.50)] * 1000, copy[Math.Min(count - 1, (int)(count * 0.99))] * 1000, Interlocked.Read(ref _latencyCount));
    }

    public void Dispose() => _listener.Dispose();

    private void Add(string key, long value) => _totals.AddOrUpdate(key, value, (_, old) => old + value);

    private static string Key(string name, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return name;
        }
        var values = new string[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            values[i] = tags[i].Value?.ToString() ?? "";
        }
        return $"{name}{{{string.Join(',', values)}}}";
    }
}
