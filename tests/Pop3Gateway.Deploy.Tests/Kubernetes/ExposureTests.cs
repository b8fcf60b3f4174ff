using YamlDotNet.RepresentationModel;
using Pop3Gateway.Deploy.Tests.Infrastructure;
using static Pop3Gateway.Deploy.Tests.Infrastructure.RenderedOverlay;

namespace Pop3Gateway.Deploy.Tests.Kubernetes;

/// <summary>What is reachable from where: the Services, the NetworkPolicies and the LMTP peer check.</summary>
public sealed class ExposureTests
{
    private const int SiloPort = 11111;
    private const int GatewayPort = 30000;
    private const int LmtpPort = 24;
    private const int ManagementPort = 8080;

    public static TheoryData<string, string> Renders => Kubectl.OverlayRenders();

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task LoadBalancer_ExposesPop3AndPop3sOfTheFrontendsOnly(string kubectl, string overlay)
    {
        var rendered = await Kubectl.RenderAsync(kubectl, overlay);
        var external = rendered.OfKind("Service").Where(s => s.Node.Text("spec.type") is "LoadBalancer" or "NodePort").ToList();
        var service = Assert.Single(external);
        Assert.Equal("LoadBalancer", service.Node.Text("spec.type"));
        Assert.Equal("Local", service.Node.Text("spec.externalTrafficPolicy"));
        Assert.Equal([FrontendDeployment], rendered.DeploymentsSelectedBy(service.Node.Map("spec.selector")));
        Assert.Equal([110, 995], ServicePorts(service).Order());
        AssertTargetsExist(rendered, service, FrontendDeployment);
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task Lmtp_IsAClusterIpServiceOfTheFrontends(string kubectl, string overlay)
    {
        var rendered = await Kubectl.RenderAsync(kubectl, overlay);
        var lmtp = Assert.Single(rendered.OfKind("Service"), s => ServicePorts(s).Contains(24));
        Assert.Equal("ClusterIP", lmtp.Node.Text("spec.type") ?? "ClusterIP");
        Assert.Equal([FrontendDeployment], rendered.DeploymentsSelectedBy(lmtp.Node.Map("spec.selector")));
        AssertTargetsExist(rendered, lmtp, FrontendDeployment);
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task Services_NeverExposeTheOrleansPorts(string kubectl, string overlay)
    {
        var rendered = await Kubectl.RenderAsync(kubectl, overlay);
        Assert.All(rendered.OfKind("Service"), s =>
        {
            Assert.DoesNotContain(SiloPort, ServicePorts(s));
            Assert.DoesNotContain(GatewayPort, ServicePorts(s));
        });
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task NetworkPolicy_SiloPortOnlyFromSilos_GatewayOnlyFromSilosAndFrontends(string kubectl, string overlay)
    {
        var rendered = await Kubectl.RenderAsync(kubectl, overlay);
        var orleansPods = rendered.OfKind("Deployment")
            .Where(d => Containers(d).Any(c => ContainerPorts(c).Overlaps([SiloPort, GatewayPort]))).ToList();
        Assert.Equal([SiloDeployment], orleansPods.Select(d => d.Name));
        foreach (var deployment in orleansPods)
        {
            var policies = IngressPolicies(rendered, deployment);
            Assert.NotEmpty(policies);
            Assert.Equal([SiloDeployment], AllowedFrom(rendered, policies, SiloPort));
            Assert.Equal([FrontendDeployment, SiloDeployment], AllowedFrom(rendered, policies, GatewayPort));
        }
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task NetworkPolicy_LmtpOnlyFromMtaPods_ManagementOnlyFromMonitoring(string kubectl, string overlay)
    {
        var rendered = await Kubectl.RenderAsync(kubectl, overlay);
        foreach (var deployment in rendered.OfKind("Deployment").Where(d => d.Name is FrontendDeployment or SiloDeployment))
        {
            var policies = IngressPolicies(rendered, deployment);
            Assert.NotEmpty(policies);
            var management = Assert.Single(RulesOpening(policies, ManagementPort));
            var monitoring = Assert.Single(management.Items("from"));
            Assert.Equal(new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = "monitoring" }, monitoring.Map("namespaceSelector.matchLabels"));
            Assert.Equal("app.kubernetes.io/name In prometheus", SingleExpression(monitoring));
        }

        var frontendPolicies = IngressPolicies(rendered, rendered.Get("Deployment", FrontendDeployment));
        var lmtp = Assert.Single(RulesOpening(frontendPolicies, LmtpPort));
        var mta = Assert.Single(lmtp.Items("from"));
        Assert.True(mta.At("ipBlock") is null && mta.At("namespaceSelector") is null, "LMTP is open beyond the namespace's MTA pods");
        Assert.Equal("pop3gateway.io/mta In true", SingleExpression(mta));
        Assert.Equal([LmtpPort], lmtp.Items("ports").Select(p => p.Int("port") ?? 0));
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task Frontend_LmtpAllowedNetworksSetAndNotEverything(string kubectl, string overlay)
    {
        var rendered = await Kubectl.RenderAsync(kubectl, overlay);
        var allowed = Env(rendered.App(FrontendDeployment), "POP3GW__Lmtp__AllowedNetworks").Text("value");

        Assert.False(string.IsNullOrWhiteSpace(allowed), "the front-ends would refuse the MTA (loopback only)");
        Assert.All(allowed!.Split(',', StringSplitOptions.TrimEntries), cidr =>
        {
            var network = System.Net.IPNetwork.Parse(cidr);
            Assert.True(network.PrefixLength >= 8, $"{cidr} opens LMTP to far more than the cluster's pods");
        });
    }

    /// <summary>The peer's one pod-selector expression; a matchLabels selector is refused, kustomize rewrites those.</summary>
    private static string SingleExpression(YamlNode peer)
    {
        Assert.Empty(peer.Map("podSelector.matchLabels"));
        var expression = Assert.Single(peer.Items("podSelector.matchExpressions"));
        return $"{expression.Text("key")} {expression.Text("operator")} {string.Join(",", expression.Strings("values"))}";
    }

    private static List<Resource> IngressPolicies(RenderedOverlay rendered, Resource deployment) => rendered.OfKind("NetworkPolicy")
        .Where(p => YamlNodes.Selects(p.Node.Map("spec.podSelector.matchLabels"), PodLabels(deployment)))
        .Where(p => p.Node.Strings("spec.policyTypes").Contains("Ingress"))
        .ToList();

    /// <summary>The ingress rules that let anything reach <paramref name="port"/> (a rule without ports opens every port).</summary>
    private static List<YamlNode> RulesOpening(IEnumerable<Resource> policies, int port) => policies
        .SelectMany(p => p.Node.Items("spec.ingress"))
        .Where(rule => rule.Items("ports") is var ports && (ports.Count == 0 || ports.Any(p => p.Int("port") == port)))
        .ToList();

    /// <summary>
    /// The Deployments whose pods the policies let reach <paramref name="port"/>. A rule that
    /// would let anything else in (no peers, a namespace or IP block, an expression selector) fails.
    /// </summary>
    private static List<string> AllowedFrom(RenderedOverlay rendered, IEnumerable<Resource> policies, int port)
    {
        var allowed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var rule in policies.SelectMany(p => p.Node.Items("spec.ingress")))
        {
            var ports = rule.Items("ports");
            if (ports.Count > 0 && !ports.Any(p => p.Int("port") == port))
            {
                continue;
            }
            var peers = rule.Items("from");
            Assert.True(peers.Count > 0, $"an ingress rule opens port {port} to every source");
            foreach (var peer in peers)
            {
                Assert.True(peer.At("ipBlock") is null && peer.At("namespaceSelector") is null, $"port {port} is open beyond the application's pods");
                Assert.True(peer.At("podSelector.matchExpressions") is null, "a matchExpressions pod selector is not checked here");
                var selected = rendered.DeploymentsSelectedBy(peer.Map("podSelector.matchLabels"));
                Assert.True(selected.Count > 0, $"a peer of port {port} selects no pod of the application");
                Assert.True(peer.Map("podSelector.matchLabels").Count > 0, $"a peer of port {port} selects every pod of the namespace");
                allowed.UnionWith(selected);
            }
        }
        return allowed.ToList();
    }

    private static List<int> ServicePorts(Resource service) => service.Node.Items("spec.ports").Select(p => p.Int("port") ?? 0).ToList();

    private static void AssertTargetsExist(RenderedOverlay rendered, Resource service, string deployment)
    {
        var container = rendered.App(deployment);
        foreach (var port in service.Node.Items("spec.ports"))
        {
            var target = port.Text("targetPort") ?? port.Text("port");
            var exists = int.TryParse(target, out var number) ? ContainerPorts(container).Contains(number) : NamedPorts(container).ContainsKey(target ?? "");
            Assert.True(exists, $"{service}: targetPort {target} is no port of {deployment}");
        }
    }

}
