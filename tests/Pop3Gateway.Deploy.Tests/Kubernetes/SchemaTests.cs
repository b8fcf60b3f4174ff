using k8s;
using Pop3Gateway.Deploy.Tests.Infrastructure;

namespace Pop3Gateway.Deploy.Tests.Kubernetes;

/// <summary>
/// The rendered objects against the Kubernetes API types of the official C# client, strictly: a
/// misspelt or misplaced field (which kubectl kustomize passes through untouched) fails here.
/// </summary>
public sealed class SchemaTests
{
    public static TheoryData<string, string> Renders => Kubectl.OverlayRenders();

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task Render_EveryObjectMatchesItsApiTypeStrictly(string kubectl, string overlay)
    {
        var rendered = await Kubectl.RenderAsync(kubectl, overlay);
        var objects = KubernetesYaml.LoadAllFromString(rendered.Yaml, strict: true);
        Assert.Equal(rendered.Resources.Count, objects.Count);
        Assert.All(objects, o => Assert.IsAssignableFrom<IKubernetesObject>(o));
    }
}
