using System.Globalization;
using System.Text.RegularExpressions;
using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests;

/// <summary>
/// The .NET runtime's own meter (System.Runtime) on the management port's /metrics, under the names the
/// Grafana dashboard's runtime panels query. Shares the Debian clients' server: one scrape is all it needs.
/// </summary>
[Collection(DebianClientsCollection.Name)]
public sealed class RuntimeMetricsTests(ServerFixture fixture)
{
    private const string RuntimeScope = "otel_scope_name=\"System.Runtime\"";

    [Fact]
    public Task Metrics_RunningServer_ExportsRuntimeSeries() => fixture.GuardAsync(async () =>
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        var text = await http.GetStringAsync($"http://127.0.0.1:{fixture.Server.ManagementPort}/metrics");

        Assert.True(Value(text, "dotnet_process_cpu_time_seconds_total") > 0, "CPU time");
        Assert.True(Value(text, "dotnet_process_memory_working_set_bytes") > 1_000_000, "working set");
        Assert.True(Value(text, "dotnet_gc_last_collection_heap_size_bytes") > 0, "GC heap after the last collection");
        Assert.True(Value(text, "dotnet_thread_pool_thread_count_total") > 0, "thread pool threads");
        Assert.Contains("# TYPE dotnet_gc_collections_total counter", text);
        Assert.Contains("# TYPE dotnet_gc_pause_time_seconds_total counter", text);
        Assert.Contains("# TYPE dotnet_thread_pool_queue_length_total ", text);
        Assert.Contains("# TYPE dotnet_monitor_lock_contentions_total counter", text);
    });

    /// <summary>The sum of the System.Runtime samples of <paramref name="metric"/>; fails when there are none.</summary>
    private static double Value(string text, string metric)
    {
        var samples = Regex.Matches(text, $@"^{Regex.Escape(metric)}\{{(?<labels>[^}}]*)\}} (?<value>\S+)", RegexOptions.Multiline)
            .Where(m => m.Groups["labels"].Value.Contains(RuntimeScope, StringComparison.Ordinal))
            .Select(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture))
            .ToList();
        Assert.True(samples.Count > 0, $"no {metric} sample from the System.Runtime meter in /metrics");
        return samples.Sum();
    }
}
