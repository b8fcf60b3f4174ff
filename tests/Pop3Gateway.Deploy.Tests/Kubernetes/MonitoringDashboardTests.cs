using System.Text.Json;
using Pop3Gateway.Deploy.Tests.Infrastructure;

namespace Pop3Gateway.Deploy.Tests.Kubernetes;

/// <summary>
/// deploy/grafana/pop3gateway-dashboard.json: the namespace, role and pod variables, every query filtered by
/// them, and every metric it queries defined by the gateway, the runtime or Orleans.
/// </summary>
public sealed class MonitoringDashboardTests
{
    private static readonly string[] Filters = ["namespace=~\"$namespace\"", "role=~\"$role\"", "pod=~\"$pod\""];

    private static JsonDocument Load() => JsonDocument.Parse(File.ReadAllText(Monitoring.Dashboard));

    private static List<(string Panel, string Expression)> Queries(JsonDocument dashboard) =>
        [.. dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.TryGetProperty("targets", out var targets)
                ? targets.EnumerateArray().Select(t => (p.GetProperty("title").GetString()!, t.GetProperty("expr").GetString()!))
                : [])];

    [Fact]
    public void Dashboard_Variables_AreNamespaceRoleAndPodFromTheScrapedTargets()
    {
        using var dashboard = Load();
        var variables = dashboard.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray()
            .ToDictionary(v => v.GetProperty("name").GetString()!);

        Assert.Equal(["datasource", "namespace", "role", "pod"], variables.Keys);
        foreach (var name in new[] { "namespace", "role", "pod" })
        {
            var query = variables[name].GetProperty("query").GetProperty("query").GetString()!;
            Assert.StartsWith("label_values(up{job=\"pop3gw\"", query);
            Assert.EndsWith($", {name})", query);
            Assert.True(variables[name].GetProperty("includeAll").GetBoolean(), $"{name}: All");
            Assert.Equal(".*", variables[name].GetProperty("allValue").GetString());
        }
    }

    [Fact]
    public void Dashboard_EveryQuery_FiltersEachSelectorByTheVariables()
    {
        using var dashboard = Load();
        var queries = Queries(dashboard);

        Assert.NotEmpty(queries);
        foreach (var (panel, expression) in queries)
        {
            Assert.True(Monitoring.Balanced(expression), $"{panel}: unbalanced brackets in {expression}");
            var selectors = Monitoring.SelectorsIn(expression);
            Assert.Equal(Monitoring.MetricsIn(expression).Count, selectors.Count);
            Assert.All(selectors, s => Assert.All(Filters, f => Assert.Contains(f, s)));
        }
    }

    [Fact]
    public void Dashboard_EveryQueriedMetric_IsDefinedInCodeOrKnown()
    {
        using var dashboard = Load();
        var known = Monitoring.KnownSeries();

        var used = Queries(dashboard).SelectMany(q => Monitoring.MetricsIn(q.Expression).Select(m => (q.Panel, Metric: m))).ToList();

        Assert.All(used, u => Assert.True(known.Contains(u.Metric), $"panel '{u.Panel}': no instrument defines '{u.Metric}'"));
        var metrics = used.Select(u => u.Metric).ToHashSet();
        Assert.All(Monitoring.External.SelectMany(i => i.Series).Where(s => !s.EndsWith("_bucket", StringComparison.Ordinal) && !s.EndsWith("_sum", StringComparison.Ordinal)),
            s => Assert.Contains(s, metrics));
        Assert.Contains("lmtp_deliveries_total", metrics);
        Assert.Contains("lmtp_bytes_received_bytes_total", metrics);
    }

    [Fact]
    public void Dashboard_Panels_HaveUniqueIdsAndDoNotOverlap()
    {
        using var dashboard = Load();
        var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray().ToList();
        var boxes = panels.Select(p => p.GetProperty("gridPos"))
            .Select(g => (X: g.GetProperty("x").GetInt32(), Y: g.GetProperty("y").GetInt32(), W: g.GetProperty("w").GetInt32(), H: g.GetProperty("h").GetInt32()))
            .ToList();

        Assert.Equal(panels.Count, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
        Assert.All(boxes, b => Assert.InRange(b.X + b.W, 1, 24));
        for (var i = 0; i < boxes.Count; i++)
        {
            for (var j = i + 1; j < boxes.Count; j++)
            {
                var (a, b) = (boxes[i], boxes[j]);
                Assert.False(a.X < b.X + b.W && b.X < a.X + a.W && a.Y < b.Y + b.H && b.Y < a.Y + a.H, $"panels {i} and {j} overlap");
            }
        }
    }
}
