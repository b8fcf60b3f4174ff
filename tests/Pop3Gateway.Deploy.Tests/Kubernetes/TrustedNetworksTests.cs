using Pop3Gateway.Deploy.Tests.Infrastructure;

namespace Pop3Gateway.Deploy.Tests.Kubernetes;

/// <summary>In a container no client is trusted for its address: the image and the front-end pods list no trusted networks.</summary>
public sealed class TrustedNetworksTests
{
    private const string Variable = "POP3GW__Security__TrustedNetworks";

    public static TheoryData<string, string> Renders => Kubectl.OverlayRenders();

    [Fact]
    public void Image_TrustedNetworks_Empty()
    {
        var environment = Dockerfile.Load(Repository.Dockerfile).Runtime.Environment();

        Assert.True(environment.TryGetValue(Variable, out var value), $"the image does not set {Variable}, so appsettings.json's loopback applies");
        Assert.Equal("", value);
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task FrontendPods_TrustedNetworks_EmptyOrUnset(string kubectl, string overlay)
    {
        var rendered = await Kubectl.RenderAsync(kubectl, overlay);

        var entry = rendered.App(RenderedOverlay.FrontendDeployment).Items("env").FirstOrDefault(e => e.Text("name") == Variable);

        Assert.True(entry is null || string.IsNullOrEmpty(entry.Text("value")), $"{overlay}: {Variable}={entry?.Text("value")}");
    }
}
