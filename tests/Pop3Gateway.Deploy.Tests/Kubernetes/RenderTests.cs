using Pop3Gateway.Deploy.Tests.Infrastructure;

namespace Pop3Gateway.Deploy.Tests.Kubernetes;

/// <summary>Every overlay renders, with every kubectl configured, to the same set of objects.</summary>
public sealed class RenderTests
{
    public static TheoryData<string, string> Renders => Kubectl.OverlayRenders();

    [Fact]
    public void Overlays_DevAndProductionExist()
    {
        Assert.Equal(["dev", "production"], Repository.Overlays());
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task Render_SucceedsWithoutErrors(string kubectl, string overlay)
    {
        var rendered = await Kubectl.RenderAsync(kubectl, overlay);
        // Deprecation warnings of newer kustomize versions are expected (the fields old ones need); errors are not.
        var complaints = rendered.Warnings.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("# Warning: '", StringComparison.Ordinal) || !l.Contains("is deprecated", StringComparison.Ordinal))
            .ToList();
        Assert.Empty(complaints);
        Assert.Contains(rendered.Resources, r => r is { Kind: "Deployment", Name: RenderedOverlay.SiloDeployment });
        Assert.Contains(rendered.Resources, r => r is { Kind: "Deployment", Name: RenderedOverlay.FrontendDeployment });
        Assert.All(rendered.Resources, r => Assert.False(string.IsNullOrEmpty(r.Name), $"a {r.Kind} without a name"));
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task Render_EveryObjectCarriesTheCommonLabelsAndTheOverlayNamespace(string kubectl, string overlay)
    {
        var rendered = await Kubectl.RenderAsync(kubectl, overlay);
        var namespaces = rendered.Resources.Select(r => r.Node.Text("metadata.namespace")).Distinct().ToList();
        Assert.Single(namespaces);
        Assert.False(string.IsNullOrEmpty(namespaces[0]), "every object is placed in the overlay's namespace");
        Assert.All(rendered.Resources, r =>
        {
            var labels = r.Node.Map("metadata.labels");
            Assert.True(labels.GetValueOrDefault("app.kubernetes.io/part-of") == "pop3gateway", $"{r}: app.kubernetes.io/part-of");
            Assert.True(labels.GetValueOrDefault("app.kubernetes.io/instance") == overlay, $"{r}: app.kubernetes.io/instance");
        });
    }

    [Fact]
    public async Task Render_EveryKubectlProducesTheSameObjects()
    {
        foreach (var overlay in Repository.Overlays())
        {
            var renders = await Task.WhenAll(Kubectl.Kinds().Select(k => Kubectl.RenderAsync(k, overlay)));
            var expected = renders[0].Resources.Select(r => r.ToString()).Order(StringComparer.Ordinal).ToList();
            foreach (var other in renders.Skip(1))
            {
                // Generated names end in a content hash that differs between kustomize versions.
                Assert.Equal(WithoutHash(expected), WithoutHash(other.Resources.Select(r => r.ToString()).Order(StringComparer.Ordinal)));
            }
        }
    }

    private static List<string> WithoutHash(IEnumerable<string> names) =>
        names.Select(n => System.Text.RegularExpressions.Regex.Replace(n, "-[a-z0-9]{10}$", "")).ToList();
}
