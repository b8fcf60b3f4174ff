using OpenTelemetry;
using OpenTelemetry.Metrics;
using Pop3Gateway.Abstractions.Telemetry;

namespace Pop3Gateway.Host.Management;

/// <summary>
/// The operator page's numbers, read from the OpenTelemetry pipeline that also serves <c>/metrics</c>:
/// a reader on the meter provider, collected when the page asks, over the gateway's own meter
/// (<see cref="TelemetryNames.Meter"/>). With telemetry off it is not attached and reads nothing.
/// </summary>
public sealed class OperatorMetrics
{
    /// <summary>The instrument whose latencies the page shows.</summary>
    private const string CommandDuration = "pop3.command.duration";

    private readonly Lock _lock = new();
    private readonly StatusExporter _exporter = new();

    public OperatorMetrics() => Reader = new BaseExportingMetricReader(_exporter) { TemporalityPreference = MetricReaderTemporalityPreference.Cumulative };

    /// <summary>Added to the meter provider by the telemetry setup.</summary>
    public MetricReader Reader { get; }

    /// <summary>
    /// Totals by instrument name plus tag values (e.g. <c>pop3.commands{RETR,ok}</c>) of the gateway's counters,
    /// and the command latency percentiles of the commands answered since the previous read.
    /// </summary>
    public (IReadOnlyDictionary<string, long> Totals, LatencySummary Latency) Read()
    {
        lock (_lock)
        {
            Reader.Collect();
            return (_exporter.Totals, _exporter.Latency);
        }
    }

    private sealed class StatusExporter : BaseExporter<Metric>
    {
        private List<double> _bounds = [];
        private List<long> _previousBuckets = [];

        public IReadOnlyDictionary<string, long> Totals { get; private set; } = new SortedDictionary<string, long>();

        public LatencySummary Latency { get; private set; } = new(0, 0, 0);

        public override ExportResult Export(in Batch<Metric> batch)
        {
            var totals = new SortedDictionary<string, long>(StringComparer.Ordinal);
            foreach (var metric in batch)
            {
                if (metric.MeterName != TelemetryNames.Meter)
                {
                    continue;
                }
                if (metric.MetricType is MetricType.LongSum or MetricType.LongSumNonMonotonic)
                {
                    foreach (ref readonly var point in metric.GetMetricPoints())
                    {
                        var key = Key(metric.Name, point.Tags);
                        totals[key] = totals.GetValueOrDefault(key) + point.GetSumLong();
                    }
                }
                else if (metric.Name == CommandDuration && metric.MetricType == MetricType.Histogram)
                {
                    RecordLatency(metric);
                }
            }
            Totals = totals;
            return ExportResult.Success;
        }

        /// <summary>The percentiles over the bucket counts added since the previous collection; kept when there were none.</summary>
        private void RecordLatency(Metric metric)
        {
            var buckets = new List<long>();
            var bounds = new List<double>();
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var index = 0;
                foreach (var bucket in point.GetHistogramBuckets())
                {
                    if (index == buckets.Count)
                    {
                        buckets.Add(0);
                        bounds.Add(bucket.ExplicitBound);
                    }
                    buckets[index++] += bucket.BucketCount;
                }
            }
            var window = new long[buckets.Count];
            for (var i = 0; i < window.Length; i++)
            {
                window[i] = buckets[i] - (i < _previousBuckets.Count ? _previousBuckets[i] : 0);
            }
            _previousBuckets = buckets;
            _bounds = bounds;
            var samples = buckets.Sum();
            var recent = window.Sum();
            Latency = recent == 0
                ? Latency with { Samples = samples }
                : new LatencySummary(Quantile(window, recent, 0.50) * 1000, Quantile(window, recent, 0.99) * 1000, samples);
        }

        /// <summary>Estimates a quantile from bucket counts, interpolating inside the bucket it falls in.</summary>
        private double Quantile(long[] counts, long total, double quantile)
        {
            var rank = quantile * total;
            long below = 0;
            for (var i = 0; i < counts.Length; i++)
            {
                if (counts[i] > 0 && below + counts[i] >= rank)
                {
                    var lower = i == 0 ? 0 : _bounds[i - 1];
                    var upper = double.IsPositiveInfinity(_bounds[i]) ? lower : _bounds[i];
                    return lower + ((upper - lower) * (rank - below) / counts[i]);
                }
                below += counts[i];
            }
            return 0;
        }

        private static string Key(string name, ReadOnlyTagCollection tags)
        {
            if (tags.Count == 0)
            {
                return name;
            }
            var values = new List<string>(tags.Count);
            foreach (var tag in tags)
            {
                values.Add(tag.Value?.ToString() ?? "");
            }
            return $"{name}{{{string.Join(',', values)}}}";
        }
    }
}
