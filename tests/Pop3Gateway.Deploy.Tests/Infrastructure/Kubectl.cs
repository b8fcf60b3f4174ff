using System.Collections.Concurrent;

namespace Pop3Gateway.Deploy.Tests.Infrastructure;

/// <summary>
/// Renders the kustomize overlays with <c>kubectl kustomize</c>: the kubectl on PATH and, when
/// <c>POP3GW_TEST_KUBECTL_LEGACY</c> names one, an old kubectl (Debian's 1.20, kustomize v2.0.3)
/// too, so that the manifests keep to what both understand. A missing kubectl is a failure.
/// </summary>
public static class Kubectl
{
    /// <summary>The kubectl found on PATH.</summary>
    public const string OnPath = "path";

    /// <summary>The kubectl named by <see cref="LegacyVariable"/>.</summary>
    public const string Legacy = "legacy";

    public const string LegacyVariable = "POP3GW_TEST_KUBECTL_LEGACY";

    private static readonly TimeSpan RenderTimeout = TimeSpan.FromSeconds(120);
    private static readonly ConcurrentDictionary<(string, string), Lazy<Task<RenderedOverlay>>> Renders = new();

    /// <summary>The kubectl kinds to render with: always the one on PATH, the legacy one when configured.</summary>
    public static IEnumerable<string> Kinds() =>
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable(LegacyVariable)) ? [OnPath] : [OnPath, Legacy];

    /// <summary>(kubectl kind, overlay) pairs for theories.</summary>
    public static TheoryData<string, string> OverlayRenders()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in Kinds())
        {
            foreach (var overlay in Repository.Overlays())
            {
                data.Add(kind, overlay);
            }
        }
        return data;
    }

    /// <summary>The rendered overlay (cached: every test of an overlay shares one kubectl run).</summary>
    public static Task<RenderedOverlay> RenderAsync(string kind, string overlay) =>
        Renders.GetOrAdd((kind, overlay), key => new Lazy<Task<RenderedOverlay>>(() => RunAsync(key.Item1, key.Item2))).Value;

    public static string Require(string kind)
    {
        if (kind == Legacy)
        {
            var legacy = Environment.GetEnvironmentVariable(LegacyVariable) ?? "";
            Assert.True(File.Exists(legacy), $"{LegacyVariable}='{legacy}' is not a file");
            return legacy;
        }
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "kubectl"))
            .FirstOrDefault(File.Exists);
        if (path is null)
        {
            var ci = Environment.GetEnvironmentVariable("CI") is "true" or "1" ? " (CI=true: a missing kubectl fails the build)" : "";
            Assert.Fail($"'kubectl' is not installed; install the Debian package 'kubernetes-client' (tests/run.sh does as root){ci}");
        }
        return path!;
    }

    private static async Task<RenderedOverlay> RunAsync(string kind, string overlay)
    {
        var kubectl = Require(kind);
        var directory = Path.Combine(Repository.KubernetesDirectory, "overlays", overlay);
        var result = await ProcessRunner.RunAsync(kubectl, ["kustomize", directory], timeout: RenderTimeout);
        Assert.True(result.ExitCode == 0, $"kubectl kustomize {overlay} failed\n{result}");
        return RenderedOverlay.Parse(overlay, result.Stdout, result.Stderr);
    }
}
