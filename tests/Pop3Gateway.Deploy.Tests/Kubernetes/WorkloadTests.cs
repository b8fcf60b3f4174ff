using Pop3Gateway.Deploy.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;
using static Pop3Gateway.Deploy.Tests.Infrastructure.RenderedOverlay;

namespace Pop3Gateway.Deploy.Tests.Kubernetes;

/// <summary>The silo and front-end Deployments: roles, image, Orleans identity, ports, probes, shutdown, resources.</summary>
public sealed class WorkloadTests
{
    /// <summary>Shutdown:DrainTimeout when the pod does not set it (the cluster contract's default).</summary>
    private static readonly TimeSpan DefaultDrainTimeout = TimeSpan.FromSeconds(25);

    /// <summary>Time an Orleans silo or client needs to leave the cluster after the drain.</summary>
    private static readonly TimeSpan LeaveClusterAllowance = TimeSpan.FromSeconds(20);

    public static TheoryData<string, string> Renders => Kubectl.OverlayRenders();

    public static readonly (string Deployment, string Role)[] Roles =
        [(SiloDeployment, "silo"), (FrontendDeployment, "frontend")];

    private static readonly Dockerfile Image = Dockerfile.Load(Repository.Dockerfile);

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task Deployments_RunOneImageWithTheRoleAsArguments(string kubectl, string overlay)
    {
        var rendered = await Kubectl.RenderAsync(kubectl, overlay);
        var images = new HashSet<string>();
        foreach (var (deployment, role) in Roles)
        {
            var app = rendered.App(deployment);
            Assert.Equal(["serve", "--role", role], app.Strings("args"));
            Assert.Null(app.At("command"));
            images.Add(app.Text("image") ?? "");
            Assert.Equal(role, PodLabels(rendered.Get("Deployment", deployment))["app.kubernetes.io/component"]);
        }
        var image = Assert.Single(images);
        var tag = image.Contains(':') ? image[(image.LastIndexOf(':') + 1)..] : "";
        Assert.True(tag.Length > 0 && tag != "latest", $"image '{image}' needs an explicit tag, not latest");
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task Deployments_GetPodIdentityAndOrleansIdsFromTheDownwardApi(string kubectl, string overlay)
    {
        var rendered = await Kubectl.RenderAsync(kubectl, overlay);
        var identities = new HashSet<(string, string)>();
        foreach (var (deployment, _) in Roles)
        {
            var pod = rendered.Get("Deployment", deployment);
            var app = rendered.App(deployment);
            Assert.Equal("metadata.name", FieldRef(app, "POD_NAME"));
            Assert.Equal("metadata.namespace", FieldRef(app, "POD_NAMESPACE"));
            Assert.Equal("status.podIP", FieldRef(app, "POD_IP"));
            Assert.Equal("metadata.labels['orleans/serviceId']", FieldRef(app, "ORLEANS_SERVICE_ID"));
            Assert.Equal("metadata.labels['orleans/clusterId']", FieldRef(app, "ORLEANS_CLUSTER_ID"));
            var labels = PodLabels(pod);
            Assert.True(labels.TryGetValue("orleans/serviceId", out var service) && service.Length > 0, $"{pod}: label orleans/serviceId");
            Assert.True(labels.TryGetValue("orleans/clusterId", out var cluster) && cluster.Length > 0, $"{pod}: label orleans/clusterId");
            identities.Add((service!, cluster!));
            // Azure Table clustering is the membership of the real cluster shape.
            Assert.Equal("Azure", Env(app, "POP3GW__Storage__Provider").Text("value"));
        }
        Assert.Single(identities);
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task Deployments_DeclareThePortsTheImageListensOn(string kubectl, string overlay)
    {
        var rendered = await Kubectl.RenderAsync(kubectl, overlay);
        var silo = NamedPorts(rendered.App(SiloDeployment));
        Assert.Equal(ImagePort(rendered.App(SiloDeployment), "Orleans__SiloPort"), silo["silo"]);
        Assert.Equal(ImagePort(rendered.App(SiloDeployment), "Orleans__GatewayPort"), silo["gateway"]);
        Assert.Equal([11111, 30000], new[] { silo["silo"], silo["gateway"] });
        var frontend = rendered.App(FrontendDeployment);
        var ports = NamedPorts(frontend);
        Assert.Equal(ImagePort(frontend, "Pop3__Port"), ports["pop3"]);
        Assert.Equal(ImagePort(frontend, "Pop3__TlsPort"), ports["pop3s"]);
        Assert.Equal(ImagePort(frontend, "Lmtp__Port"), ports["lmtp"]);
        Assert.DoesNotContain(11111, ContainerPorts(frontend));
        Assert.DoesNotContain(30000, ContainerPorts(frontend));
        foreach (var (deployment, _) in Roles)
        {
            var app = rendered.App(deployment);
            Assert.Equal(ImagePort(app, "Management__Port"), NamedPorts(app)["management"]);
        }
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task Probes_HitTheHealthPathsOnTheManagementPort(string kubectl, string overlay)
    {
        var rendered = await Kubectl.RenderAsync(kubectl, overlay);
        foreach (var (deployment, _) in Roles)
        {
            var app = rendered.App(deployment);
            var management = NamedPorts(app)["management"];
            foreach (var (probe, path) in new[] { ("readinessProbe", "/health/ready"), ("livenessProbe", "/health/live"), ("startupProbe", "/health/startup") })
            {
                var get = app.At($"{probe}.httpGet");
                Assert.True(get is not null, $"{deployment}: {probe} is an httpGet");
                Assert.Equal(path, get.Text("path"));
                var port = get.Text("port");
                Assert.Equal(management, int.TryParse(port, out var number) ? number : NamedPorts(app).GetValueOrDefault(port ?? "", -1));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task Shutdown_GracePeriodExceedsPreStopPlusDrainPlusLeavingTheCluster(string kubectl, string overlay)
    {
        var rendered = await Kubectl.RenderAsync(kubectl, overlay);
        foreach (var (deployment, _) in Roles)
        {
            var pod = PodTemplate(rendered.Get("Deployment", deployment));
            var app = rendered.App(deployment);
            var drain = Env(app, "POP3GW__Shutdown__DrainTimeout").Text("value") is { } value ? TimeSpan.Parse(value) : DefaultDrainTimeout;
            var preStop = app.Strings("lifecycle.preStop.exec.command") is ["sleep", var seconds] ? TimeSpan.FromSeconds(int.Parse(seconds)) : TimeSpan.Zero;
            var grace = TimeSpan.FromSeconds(pod.Int("spec.terminationGracePeriodSeconds") ?? 30);
            Assert.True(grace > preStop + drain + LeaveClusterAllowance,
                $"{deployment}: terminationGracePeriodSeconds {grace.TotalSeconds} must exceed preStop {preStop.TotalSeconds} + drain {drain.TotalSeconds} + {LeaveClusterAllowance.TotalSeconds}");
        }
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task Containers_RequestCpuAndMemoryAndLimitMemory(string kubectl, string overlay)
    {
        var rendered = await Kubectl.RenderAsync(kubectl, overlay);
        foreach (var deployment in rendered.OfKind("Deployment"))
        {
            foreach (var container in Containers(deployment).Concat(PodTemplate(deployment).Items("spec.initContainers")))
            {
                var name = $"{deployment}/{container.Text("name")}";
                Assert.False(string.IsNullOrEmpty(container.Text("resources.requests.cpu")), $"{name}: cpu request");
                Assert.False(string.IsNullOrEmpty(container.Text("resources.requests.memory")), $"{name}: memory request");
                Assert.False(string.IsNullOrEmpty(container.Text("resources.limits.memory")), $"{name}: memory limit");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task Deployments_UseTheServiceAccountWithoutAnApiToken(string kubectl, string overlay)
    {
        var rendered = await Kubectl.RenderAsync(kubectl, overlay);
        foreach (var (deployment, _) in Roles)
        {
            var pod = PodTemplate(rendered.Get("Deployment", deployment));
            var account = pod.Text("spec.serviceAccountName") ?? "";
            Assert.NotNull(rendered.Find("ServiceAccount", account));
            Assert.Equal("false", pod.Text("spec.automountServiceAccountToken"));
        }
    }

    private static string? FieldRef(YamlNode container, string name) => Env(container, name).Text("valueFrom.fieldRef.fieldPath");

    /// <summary>The port the image listens on for <c>POP3GW__{key}</c>: the pod's env when it sets one, else the Dockerfile's ENV.</summary>
    private static int ImagePort(YamlNode container, string key)
    {
        var variable = "POP3GW__" + key;
        var value = Env(container, variable).Text("value") ?? Image.Runtime.Environment().GetValueOrDefault(variable);
        Assert.True(int.TryParse(value, out var port), $"{variable} is set neither by the pod nor by the image");
        return port;
    }
}
