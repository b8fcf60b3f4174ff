using YamlDotNet.RepresentationModel;

namespace Pop3Gateway.Deploy.Tests.Infrastructure;

/// <summary>One object of a rendered overlay.</summary>
public sealed record Resource(string Kind, string Name, YamlNode Node)
{
    public override string ToString() => $"{Kind}/{Name}";
}

/// <summary>The objects <c>kubectl kustomize</c> printed for one overlay, and what it said on stderr.</summary>
public sealed class RenderedOverlay
{
    public const string SiloDeployment = "pop3gw-silo";
    public const string FrontendDeployment = "pop3gw-frontend";

    /// <summary>The name of the application's container in both roles.</summary>
    public const string AppContainer = "pop3gw";

    private RenderedOverlay(string overlay, string yaml, IReadOnlyList<Resource> resources, string warnings)
    {
        Overlay = overlay;
        Yaml = yaml;
        Resources = resources;
        Warnings = warnings;
    }

    public string Overlay { get; }

    /// <summary>The rendered text, as kubectl printed it.</summary>
    public string Yaml { get; }

    public IReadOnlyList<Resource> Resources { get; }

    public string Warnings { get; }

    public static RenderedOverlay Parse(string overlay, string yaml, string stderr)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var resources = stream.Documents
            .Select(d => d.RootNode)
            .Where(n => n is YamlMappingNode)
            .Select(n => new Resource(n.Text("kind") ?? "", n.Text("metadata.name") ?? "", n))
            .ToList();
        return new RenderedOverlay(overlay, yaml, resources, stderr);
    }

    public IEnumerable<Resource> OfKind(string kind) => Resources.Where(r => r.Kind == kind);

    public Resource? Find(string kind, string name) => Resources.FirstOrDefault(r => r.Kind == kind && r.Name == name);

    public Resource Get(string kind, string name) =>
        Find(kind, name) ?? throw new Xunit.Sdk.XunitException($"{Overlay}: no {kind}/{name} among {string.Join(", ", Resources)}");

    /// <summary>The pod template of a Deployment.</summary>
    public static YamlNode PodTemplate(Resource deployment) =>
        deployment.Node.At("spec.template") ?? throw new Xunit.Sdk.XunitException($"{deployment} has no pod template");

    public static IReadOnlyDictionary<string, string> PodLabels(Resource deployment) => PodTemplate(deployment).Map("metadata.labels");

    public static IReadOnlyList<YamlNode> Containers(Resource deployment) => PodTemplate(deployment).Items("spec.containers");

    public static YamlNode Container(Resource deployment, string name) =>
        Containers(deployment).FirstOrDefault(c => c.Text("name") == name)
        ?? throw new Xunit.Sdk.XunitException($"{deployment} has no container '{name}'");

    /// <summary>The application container of the silo or front-end Deployment.</summary>
    public YamlNode App(string deployment) => Container(Get("Deployment", deployment), AppContainer);

    /// <summary>containerPort by port name.</summary>
    public static IReadOnlyDictionary<string, int> NamedPorts(YamlNode container) =>
        container.Items("ports").Where(p => p.Text("name") is not null)
            .ToDictionary(p => p.Text("name")!, p => p.Int("containerPort") ?? 0);

    public static IReadOnlySet<int> ContainerPorts(YamlNode container) =>
        container.Items("ports").Select(p => p.Int("containerPort") ?? 0).ToHashSet();

    /// <summary>The Deployments whose pods a label selector picks.</summary>
    public IReadOnlyList<string> DeploymentsSelectedBy(IReadOnlyDictionary<string, string> selector) =>
        OfKind("Deployment").Where(d => YamlNodes.Selects(selector, PodLabels(d))).Select(d => d.Name).ToList();

    /// <summary>A container's environment variable by name, or null.</summary>
    public static YamlNode? Env(YamlNode container, string name) =>
        container.Items("env").FirstOrDefault(e => e.Text("name") == name);
}
