using k8s;
using Pop3Gateway.Deploy.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;
using static Pop3Gateway.Deploy.Tests.Infrastructure.RenderedOverlay;

namespace Pop3Gateway.Deploy.Tests.Kubernetes;

/// <summary>
/// The monitoring component in the production overlay, turned on as its comment says: the ServiceMonitor
/// scrapes the management port of both roles through real Services, and the alerts query real metrics.
/// </summary>
public sealed class MonitoringComponentTests
{
    private static readonly string[] Roles = ["frontend", "silo"];

    private const string MonitoringApi = "monitoring.coreos.com/v1";

    private static Task<RenderedOverlay> RenderAsync() => Monitoring.RenderProductionWithAsync("monitoring");

    [Fact]
    public async Task Production_AsCommitted_LeavesTheComponentsOff()
    {
        var production = await Kubectl.RenderAsync(Kubectl.OnPath, "production");

        Assert.Empty(production.OfKind("ServiceMonitor"));
        Assert.Empty(production.OfKind("PrometheusRule"));
    }

    [Fact]
    public async Task Render_WithMonitoring_AddsItsObjectsInTheOverlayNamespaceWithTheCommonLabels()
    {
        var rendered = await RenderAsync();

        Assert.Equal(MonitoringApi, rendered.Get("ServiceMonitor", "pop3gw").Node.Text("apiVersion"));
        Assert.Equal(MonitoringApi, rendered.Get("PrometheusRule", "pop3gw").Node.Text("apiVersion"));
        Assert.All(rendered.Resources, r =>
        {
            Assert.Equal("pop3gw", r.Node.Text("metadata.namespace"));
            Assert.Equal("pop3gateway", r.Node.Map("metadata.labels").GetValueOrDefault("app.kubernetes.io/part-of"));
            Assert.Equal("production", r.Node.Map("metadata.labels").GetValueOrDefault("app.kubernetes.io/instance"));
        });
    }

    [Fact]
    public async Task Render_WithMonitoring_EveryBuiltInObjectMatchesItsApiTypeStrictly()
    {
        var rendered = await RenderAsync();
        var builtIn = rendered.Resources.Where(r => r.Node.Text("apiVersion") != MonitoringApi).ToList();
        var stream = new YamlStream(builtIn.Select(r => new YamlDocument(r.Node)));
        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);

        var objects = KubernetesYaml.LoadAllFromString(writer.ToString(), strict: true);

        Assert.Equal(builtIn.Count, objects.Count);
        Assert.Equal(2, rendered.Resources.Count - builtIn.Count);
    }

    [Fact]
    public async Task ServiceMonitor_SelectsAManagementServiceForEachRole()
    {
        var rendered = await RenderAsync();
        var monitor = rendered.Get("ServiceMonitor", "pop3gw");
        var endpoint = Assert.Single(monitor.Node.Items("spec.endpoints"));
        Assert.Equal("/metrics", endpoint.Text("path"));
        Assert.Empty(monitor.Node.Map("spec.selector.matchLabels"));

        var selected = rendered.OfKind("Service").Where(s => Matches(monitor.Node.Items("spec.selector.matchExpressions"), s.Node.Map("metadata.labels"))).ToList();

        var roles = new List<string>();
        foreach (var service in selected)
        {
            var port = Assert.Single(service.Node.Items("spec.ports"), p => p.Text("name") == endpoint.Text("port"));
            var deployment = Assert.Single(rendered.DeploymentsSelectedBy(service.Node.Map("spec.selector")));
            var container = rendered.App(deployment);
            Assert.Equal(NamedPorts(container)[port.Text("targetPort")!], port.Int("port"));
            Assert.Equal("management", port.Text("targetPort"));
            Assert.Equal("/health/ready", container.Text("readinessProbe.httpGet.path"));
            Assert.Equal(port.Text("targetPort"), container.Text("readinessProbe.httpGet.port"));
            roles.Add(PodLabels(rendered.Get("Deployment", deployment))["app.kubernetes.io/component"]);
        }
        Assert.Equal(Roles, roles.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ServiceMonitor_LabelsEachTargetWithThePodsRole()
    {
        var rendered = await RenderAsync();
        var monitor = rendered.Get("ServiceMonitor", "pop3gw");
        var relabeling = Assert.Single(Assert.Single(monitor.Node.Items("spec.endpoints")).Items("relabelings"), r => r.Text("targetLabel") == "role");

        Assert.Equal(["__meta_kubernetes_pod_label_app_kubernetes_io_component"], relabeling.Strings("sourceLabels"));
        Assert.Equal(Roles, rendered.OfKind("Deployment").Where(d => d.Name.StartsWith("pop3gw-", StringComparison.Ordinal))
            .Select(d => PodLabels(d)["app.kubernetes.io/component"]).Order(StringComparer.Ordinal));
        // The alerts and the dashboard select job="pop3gw": the operator takes the job from this Service label.
        var jobLabel = monitor.Node.Text("spec.jobLabel")!;
        Assert.All(rendered.OfKind("Service").Where(s => s.Name.EndsWith("-metrics", StringComparison.Ordinal)),
            s => Assert.Equal("pop3gw", s.Node.Map("metadata.labels")[jobLabel]));
    }

    [Fact]
    public async Task NetworkPolicies_LetPrometheusReachTheScrapedPort()
    {
        var rendered = await RenderAsync();

        foreach (var policy in rendered.OfKind("NetworkPolicy"))
        {
            var container = rendered.App(Assert.Single(rendered.DeploymentsSelectedBy(policy.Node.Map("spec.podSelector.matchLabels"))));
            var management = NamedPorts(container)["management"];
            Assert.Contains(policy.Node.Items("spec.ingress"), rule =>
                rule.Items("ports").Any(p => p.Int("port") == management)
                && rule.Items("from").Any(f => f.Map("namespaceSelector.matchLabels").GetValueOrDefault("kubernetes.io/metadata.name") == "monitoring"));
        }
    }

    [Fact]
    public async Task PrometheusRule_EveryAlertIsCompleteAndQueriesRealMetrics()
    {
        var rendered = await RenderAsync();
        var known = Monitoring.KnownSeries();
        var code = Monitoring.CodeSeries();
        var rules = rendered.Get("PrometheusRule", "pop3gw").Node.Items("spec.groups").SelectMany(g => g.Items("rules")).ToList();

        Assert.Equal(
            ["Pop3GatewayCertificateExpiresSoon", "Pop3GatewayCommitFailures", "Pop3GatewayLeaseExpiries", "Pop3GatewayLoginFailureSpike",
             "Pop3GatewayNoFrontend", "Pop3GatewayStorageErrors"],
            rules.Select(r => r.Text("alert")).Order(StringComparer.Ordinal));
        foreach (var rule in rules)
        {
            var alert = rule.Text("alert");
            var expression = rule.Text("expr") ?? "";
            Assert.True(Monitoring.Balanced(expression), $"{alert}: unbalanced brackets in {expression}");
            Assert.Contains(rule.Text("labels.severity"), new[] { "critical", "warning" });
            Assert.False(string.IsNullOrWhiteSpace(rule.Text("annotations.summary")), $"{alert}: summary");
            Assert.False(string.IsNullOrWhiteSpace(rule.Text("annotations.description")), $"{alert}: description");
            var metrics = Monitoring.MetricsIn(expression);
            Assert.NotEmpty(metrics);
            Assert.All(metrics, m => Assert.True(known.Contains(m), $"{alert}: no instrument defines '{m}'"));
            Assert.All(Monitoring.SelectorsIn(expression), s => Assert.Contains("job=\"pop3gw\"", s));
            if (alert != "Pop3GatewayNoFrontend" && alert != "Pop3GatewayCertificateExpiresSoon")
            {
                Assert.True(metrics.Overlaps(code), $"{alert}: queries none of the gateway's own metrics ({string.Join(", ", metrics)})");
            }
        }
    }

    [Fact]
    public void PrometheusRule_CertificateAlert_QueriesTheCertificateGauge()
    {
        var rule = File.ReadAllText(Path.Combine(Monitoring.Components, "monitoring", "prometheusrule.yaml"));

        Assert.Equal("tls_certificate_expiry_seconds", Monitoring.CertificateExpiry.PrometheusName);
        Assert.Contains(Monitoring.CertificateExpiry.PrometheusName + "{job=\"pop3gw\"}) < 14 * 86400", rule);
    }

    /// <summary>True when every <c>In</c> expression holds for <paramref name="labels"/> (the only operator the component uses).</summary>
    private static bool Matches(IReadOnlyList<YamlNode> expressions, IReadOnlyDictionary<string, string> labels)
    {
        Assert.NotEmpty(expressions);
        Assert.All(expressions, e => Assert.Equal("In", e.Text("operator")));
        return expressions.All(e => labels.TryGetValue(e.Text("key")!, out var value) && e.Strings("values").Contains(value));
    }
}
