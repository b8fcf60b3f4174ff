using System.Diagnostics;
using System.Net;
using Pop3Gateway.Deploy.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Pop3Gateway.Deploy.Tests.Docker;

/// <summary>
/// The image's contents without Docker: the build stage's publish, then the ENTRYPOINT with the
/// image's environment (loopback ports and addresses), answering on the management port.
/// </summary>
public sealed class PublishedImageTests(PublishedImage image) : IClassFixture<PublishedImage>
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Above Shutdown:DrainTimeout (25 s) plus leaving the cluster: what a pod is given too.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task DefaultCommand_ServesHealthOnTheManagementPort()
    {
        var environment = image.LoopbackEnvironment("default");
        await using var server = ImageProcess.Start(
            image.Dockerfile.Runtime.Last("ENTRYPOINT")!.JsonArray, image.Dockerfile.Runtime.Last("CMD")!.JsonArray, environment, image.WorkingDirectory);
        var management = int.Parse(environment["POP3GW__Management__Port"]);

        await WaitForAsync(server, management, "/health/live", "live");
        await WaitForAsync(server, management, "/health/startup", "started");

        Assert.Equal(0, await server.TerminateAsync(StopTimeout));
    }

    /// <summary>
    /// Each role as its Kubernetes Deployment runs it: the same arguments, the downward-API
    /// variables a pod gets (POD_IP loopback here) and the Orleans ids from its labels. A silo,
    /// then a front-end reaching it through the gateway port (localhost clustering on the embedded
    /// store here; the pods use Azure Table clustering), both live and ready.
    /// </summary>
    [Fact]
    public async Task Roles_SiloAndFrontendAsTheirPodsRunThem_AreLiveAndReady()
    {
        var entrypoint = image.Dockerfile.Runtime.Last("ENTRYPOINT")!.JsonArray;
        var siloEnvironment = image.LoopbackEnvironment("silo");
        var siloArguments = BasePod("silo-deployment.yaml", siloEnvironment);
        // A front-end of the same cluster: the silo's Orleans ports and data, listeners of its own.
        var frontendEnvironment = new Dictionary<string, string>(siloEnvironment);
        var ports = new Queue<int>(FreePorts.Allocate(4));
        foreach (var key in new[] { "POP3GW__Pop3__Port", "POP3GW__Pop3__TlsPort", "POP3GW__Lmtp__Port", "POP3GW__Management__Port" })
        {
            frontendEnvironment[key] = ports.Dequeue().ToString();
        }
        var frontendArguments = BasePod("frontend-deployment.yaml", frontendEnvironment);
        Assert.Equal(["serve", "--role", "silo"], siloArguments);
        Assert.Equal(["serve", "--role", "frontend"], frontendArguments);

        await using var silo = ImageProcess.Start(entrypoint, siloArguments, siloEnvironment, image.WorkingDirectory);
        var siloManagement = int.Parse(siloEnvironment["POP3GW__Management__Port"]);
        await WaitForAsync(silo, siloManagement, "/health/live", "live");
        await WaitForAsync(silo, siloManagement, "/health/ready", "ready");

        await using var frontend = ImageProcess.Start(entrypoint, frontendArguments, frontendEnvironment, image.WorkingDirectory);
        var frontendManagement = int.Parse(frontendEnvironment["POP3GW__Management__Port"]);
        await WaitForAsync(frontend, frontendManagement, "/health/live", "live");
        await WaitForAsync(frontend, frontendManagement, "/health/ready", "ready");

        Assert.Equal(0, await frontend.TerminateAsync(StopTimeout));
        Assert.Equal(0, await silo.TerminateAsync(StopTimeout));
    }

    /// <summary>
    /// The app container's arguments in a base manifest; adds to <paramref name="environment"/> what
    /// the downward API gives that pod.
    /// </summary>
    private static IReadOnlyList<string> BasePod(string file, Dictionary<string, string> environment)
    {
        var document = new YamlStream();
        document.Load(new StringReader(File.ReadAllText(Path.Combine(Repository.KubernetesDirectory, "base", file))));
        var deployment = document.Documents[0].RootNode;
        var labels = deployment.Map("spec.template.metadata.labels");
        environment["POD_NAME"] = $"{deployment.Text("metadata.name")}-0";
        environment["POD_NAMESPACE"] = "pop3gw-test";
        environment["POD_IP"] = "127.0.0.1";
        environment["ORLEANS_SERVICE_ID"] = labels["orleans/serviceId"];
        environment["ORLEANS_CLUSTER_ID"] = labels["orleans/clusterId"];
        var container = deployment.Items("spec.template.spec.containers").Single(c => c.Text("name") == RenderedOverlay.AppContainer);
        return container.Strings("args");
    }

    private static async Task WaitForAsync(ImageProcess server, int port, string path, string body)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var watch = Stopwatch.StartNew();
        var last = "";
        while (watch.Elapsed < StartTimeout)
        {
            Assert.False(server.HasExited, $"pop3gw exited while starting\n{server.Log()}");
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{port}{path}");
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Assert.Equal(body, (await response.Content.ReadAsStringAsync()).Trim());
                    return;
                }
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            catch (TaskCanceledException e)
            {
                last = e.Message;
            }
            await Task.Delay(500);
        }
        Assert.Fail($"{path} did not answer 200 within {StartTimeout.TotalSeconds} s (last: {last})\n{server.Log()}");
    }
}
