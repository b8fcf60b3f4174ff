using System.Diagnostics;
using System.Net;

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
