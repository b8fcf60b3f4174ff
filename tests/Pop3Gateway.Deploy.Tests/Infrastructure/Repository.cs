namespace Pop3Gateway.Deploy.Tests.Infrastructure;

/// <summary>Paths in the repository the tests run from.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Dockerfile => Path.Combine(Root, "deploy", "docker", "Dockerfile");

    public static string KubernetesDirectory => Path.Combine(Root, "deploy", "k8s");

    public static string KubernetesReadme => Path.Combine(KubernetesDirectory, "README.md");

    /// <summary>Every overlay directory under deploy/k8s/overlays, by name.</summary>
    public static IReadOnlyList<string> Overlays() =>
        Directory.GetDirectories(Path.Combine(KubernetesDirectory, "overlays"))
            .Where(d => File.Exists(Path.Combine(d, "kustomization.yaml")))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Pop3Gateway.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"no Pop3Gateway.sln above {AppContext.BaseDirectory}");
    }
}
