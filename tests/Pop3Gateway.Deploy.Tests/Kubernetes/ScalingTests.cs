using Pop3Gateway.Deploy.Tests.Infrastructure;
using static Pop3Gateway.Deploy.Tests.Infrastructure.RenderedOverlay;

namespace Pop3Gateway.Deploy.Tests.Kubernetes;

/// <summary>Disruption budgets, the front-end autoscaler, the overlays' sizes and the dev storage emulator.</summary>
public sealed class ScalingTests
{
    public static TheoryData<string, string> Renders => Kubectl.OverlayRenders();

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task DisruptionBudgets_CoverEachRoleExactly(string kubectl, string overlay)
    {
        var rendered = await Kubectl.RenderAsync(kubectl, overlay);
        var covered = new List<string>();
        foreach (var budget in rendered.OfKind("PodDisruptionBudget"))
        {
            Assert.Equal("policy/v1", budget.Node.Text("apiVersion"));
            Assert.NotEmpty(budget.Node.Map("spec.selector.matchLabels"));
            var selected = rendered.DeploymentsSelectedBy(budget.Node.Map("spec.selector.matchLabels"));
            covered.Add(Assert.Single(selected));
            Assert.True(budget.Node.At("spec.maxUnavailable") is not null || budget.Node.At("spec.minAvailable") is not null, $"{budget}: a limit");
        }
        Assert.Equal([FrontendDeployment, SiloDeployment], covered.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task Autoscaler_ScalesTheFrontendsOnCpu(string kubectl, string overlay)
    {
        var rendered = await Kubectl.RenderAsync(kubectl, overlay);
        var autoscaler = Assert.Single(rendered.OfKind("HorizontalPodAutoscaler"));
        Assert.Equal("autoscaling/v2", autoscaler.Node.Text("apiVersion"));
        Assert.Equal("Deployment", autoscaler.Node.Text("spec.scaleTargetRef.kind"));
        Assert.Equal(FrontendDeployment, autoscaler.Node.Text("spec.scaleTargetRef.name"));
        var target = rendered.Get("Deployment", FrontendDeployment);
        var metric = Assert.Single(autoscaler.Node.Items("spec.metrics"));
        Assert.Equal("cpu", metric.Text("resource.name"));
        Assert.Equal("Utilization", metric.Text("resource.target.type"));
        // Utilization is a share of the request: without one the autoscaler has nothing to divide by.
        Assert.False(string.IsNullOrEmpty(rendered.App(FrontendDeployment).Text("resources.requests.cpu")));
        var (min, max) = (autoscaler.Node.Int("spec.minReplicas") ?? 1, autoscaler.Node.Int("spec.maxReplicas") ?? 0);
        Assert.InRange(min, 1, max);
        // A replica count in the Deployment would fight the autoscaler on every apply.
        Assert.Null(target.Node.At("spec.replicas"));
    }

    [Fact]
    public async Task Production_RunsMoreReplicasThanDev()
    {
        foreach (var kubectl in Kubectl.Kinds())
        {
            var dev = await Kubectl.RenderAsync(kubectl, "dev");
            var production = await Kubectl.RenderAsync(kubectl, "production");
            Assert.True(Replicas(production) > Replicas(dev), "silos: production > dev");
            Assert.True(MinReplicas(production) > MinReplicas(dev), "front-ends: production > dev");
            Assert.True(MinReplicas(production) >= 2 && Replicas(production) >= 3, "production survives the loss of one pod of each role");
        }

        static int Replicas(RenderedOverlay r) => r.Get("Deployment", SiloDeployment).Node.Int("spec.replicas") ?? 1;

        static int MinReplicas(RenderedOverlay r) => r.OfKind("HorizontalPodAutoscaler").Single().Node.Int("spec.minReplicas") ?? 1;
    }

    [Fact]
    public async Task Dev_ConnectsToTheAzuriteItRuns()
    {
        foreach (var kubectl in Kubectl.Kinds())
        {
            var dev = await Kubectl.RenderAsync(kubectl, "dev");
            var azurite = dev.Get("Deployment", "azurite");
            Assert.Contains("azurite", Assert.Single(Containers(azurite)).Text("image") ?? "");
            var service = dev.Get("Service", "azurite");
            Assert.Equal(["azurite"], dev.DeploymentsSelectedBy(service.Node.Map("spec.selector")));
            var ports = service.Node.Items("spec.ports").Select(p => p.Int("port")).ToHashSet();

            var reference = Env(dev.App(SiloDeployment), "POP3GW__Storage__AzureConnectionString").At("valueFrom.secretKeyRef");
            var secret = dev.Get("Secret", reference.Text("name")!);
            var encoded = secret.Node.Text($"data.{reference.Text("key")}") ?? "";
            var connection = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(string.Concat(encoded.Where(c => !char.IsWhiteSpace(c)))));
            foreach (var (endpoint, port) in new[] { ("BlobEndpoint", 10000), ("QueueEndpoint", 10001), ("TableEndpoint", 10002) })
            {
                Assert.Contains($"{endpoint}=http://{service.Name}:{port}/", connection);
                Assert.Contains(port, ports);
            }
        }
    }
}
