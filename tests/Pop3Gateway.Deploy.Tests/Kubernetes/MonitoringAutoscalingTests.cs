using Pop3Gateway.Deploy.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;
using static Pop3Gateway.Deploy.Tests.Infrastructure.RenderedOverlay;

namespace Pop3Gateway.Deploy.Tests.Kubernetes;

/// <summary>
/// The optional session-autoscaling component: it turns the base's front-end autoscaler into one that also
/// follows pop3_sessions_active per pod, which prometheus-adapter serves with the rule shipped beside it.
/// </summary>
public sealed class MonitoringAutoscalingTests
{
    private const string SessionsMetric = "pop3_sessions_active";

    /// <summary>The production overlay's components as the autoscaler needs them: monitoring scrapes what it scales on.</summary>
    private static readonly string[] Components = ["monitoring", "session-autoscaling"];

    [Fact]
    public async Task Autoscaler_WithSessions_StillOneForTheFrontendDeploymentWithTheOverlaysBounds()
    {
        var rendered = await Monitoring.RenderProductionWithAsync(Components);
        var production = await Kubectl.RenderAsync(Kubectl.OnPath, "production");

        var autoscaler = Assert.Single(rendered.OfKind("HorizontalPodAutoscaler"));
        var committed = Assert.Single(production.OfKind("HorizontalPodAutoscaler"));

        Assert.Equal("autoscaling/v2", autoscaler.Node.Text("apiVersion"));
        Assert.Equal(committed.Name, autoscaler.Name);
        Assert.Equal("Deployment", autoscaler.Node.Text("spec.scaleTargetRef.kind"));
        Assert.Equal(FrontendDeployment, autoscaler.Node.Text("spec.scaleTargetRef.name"));
        Assert.NotNull(rendered.Find("Deployment", FrontendDeployment));
        Assert.Equal(committed.Node.Int("spec.minReplicas"), autoscaler.Node.Int("spec.minReplicas"));
        Assert.Equal(committed.Node.Int("spec.maxReplicas"), autoscaler.Node.Int("spec.maxReplicas"));
        Assert.NotNull(autoscaler.Node.At("spec.behavior.scaleDown"));
        Assert.Null(rendered.Get("Deployment", FrontendDeployment).Node.At("spec.replicas"));
    }

    [Fact]
    public async Task Autoscaler_WithSessions_FollowsCpuAndSessionsPerPod()
    {
        var rendered = await Monitoring.RenderProductionWithAsync(Components);
        var metrics = Assert.Single(rendered.OfKind("HorizontalPodAutoscaler")).Node.Items("spec.metrics");

        Assert.Equal(["Pods", "Resource"], metrics.Select(m => m.Text("type")).Order(StringComparer.Ordinal));
        Assert.Equal("cpu", metrics.Single(m => m.Text("type") == "Resource").Text("resource.name"));
        var pods = metrics.Single(m => m.Text("type") == "Pods");
        Assert.Equal(SessionsMetric, pods.Text("pods.metric.name"));
        Assert.Equal("AverageValue", pods.Text("pods.target.type"));
        Assert.True(int.Parse(pods.Text("pods.target.averageValue")!) > 0);
        Assert.Contains(SessionsMetric, Monitoring.CodeSeries());
    }

    [Fact]
    public void AdapterRule_ServesTheMetricTheAutoscalerAsksFor()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Monitoring.Components, "session-autoscaling", "prometheus-adapter-rules.yaml"))));

        var rule = Assert.Single(stream.Documents[0].RootNode.Items("rules.custom"));

        Assert.Equal(SessionsMetric, rule.Text("name.as"));
        Assert.Equal([SessionsMetric], Monitoring.MetricsIn(rule.Text("seriesQuery")!));
        Assert.Contains("job=\"pop3gw\"", rule.Text("seriesQuery"));
        Assert.Equal("namespace", rule.Text("resources.overrides.namespace.resource"));
        Assert.Equal("pod", rule.Text("resources.overrides.pod.resource"));
    }

    [Fact]
    public void Component_IsNotAnObjectOfTheComponentItself()
    {
        var kustomization = File.ReadAllText(Path.Combine(Monitoring.Components, "session-autoscaling", "kustomization.yaml"));

        Assert.Contains("kind: Component", kustomization);
        Assert.DoesNotContain("prometheus-adapter-rules.yaml", kustomization.Split('\n').Where(l => !l.TrimStart().StartsWith('#')).Aggregate("", string.Concat));
    }
}
