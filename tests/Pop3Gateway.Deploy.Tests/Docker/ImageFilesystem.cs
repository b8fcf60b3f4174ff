using Pop3Gateway.Deploy.Tests.Infrastructure;

namespace Pop3Gateway.Deploy.Tests.Docker;

/// <summary>
/// Carries out the Dockerfile's build stage on this machine without Docker: its COPY lines copy
/// from the repository into a scratch "container" directory, its <c>RUN dotnet …</c> lines run there
/// with container paths moved under that directory; then the runtime stage's COPY --from takes the
/// published files. What the build stage forgets to copy fails the publish here as it would in Docker.
/// </summary>
public sealed class ImageFilesystem(string root)
{
    private static readonly TimeSpan DotnetStepTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Build output that .dockerignore keeps out of the context.</summary>
    private static readonly string[] IgnoredDirectories = ["bin", "obj"];

    public string BuildRoot { get; } = Path.Combine(root, "build");

    public string RuntimeRoot { get; } = Path.Combine(root, "runtime");

    /// <summary>A container path of the build or runtime stage, as a path on this machine.</summary>
    public static string HostPath(string stageRoot, string containerPath) =>
        Path.Combine(stageRoot, containerPath.TrimStart('/'));

    public async Task RunBuildStageAsync(Stage stage)
    {
        var workdir = "/";
        foreach (var instruction in stage.Instructions)
        {
            switch (instruction.Keyword)
            {
                case "WORKDIR":
                    workdir = Resolve(workdir, instruction.Arguments);
                    Directory.CreateDirectory(HostPath(BuildRoot, workdir));
                    break;
                case "COPY":
                    CopyFromContext(instruction.Words, workdir);
                    break;
                case "RUN":
                    await RunDotnetAsync(instruction.Words, workdir);
                    break;
                default:
                    Assert.Fail($"the build stage has an instruction this check does not carry out: {instruction.Keyword} {instruction.Arguments}");
                    break;
            }
        }
    }

    /// <summary>The runtime stage's COPY --from lines; returns the stage's WORKDIR as a path on this machine.</summary>
    public string AssembleRuntimeStage(Stage stage, string buildStageName)
    {
        var workdir = "/";
        foreach (var instruction in stage.Instructions)
        {
            if (instruction.Keyword == "WORKDIR")
            {
                workdir = Resolve(workdir, instruction.Arguments);
                Directory.CreateDirectory(HostPath(RuntimeRoot, workdir));
            }
            else if (instruction.Keyword == "COPY")
            {
                var words = instruction.Words.Where(w => !w.StartsWith("--chown=", StringComparison.Ordinal)).ToList();
                Assert.Equal($"--from={buildStageName}", words[0]);
                Assert.Equal(3, words.Count);
                CopyTree(HostPath(BuildRoot, words[1]), HostPath(RuntimeRoot, Resolve(workdir, words[2])));
            }
        }
        return HostPath(RuntimeRoot, workdir);
    }

    private void CopyFromContext(IReadOnlyList<string> words, string workdir)
    {
        Assert.DoesNotContain(words, w => w.StartsWith("--", StringComparison.Ordinal));
        var destination = Resolve(workdir, words[^1]);
        foreach (var source in words.Take(words.Count - 1))
        {
            var from = Path.Combine(Repository.Root, source);
            if (Directory.Exists(from))
            {
                CopyTree(from, HostPath(BuildRoot, destination));
            }
            else
            {
                Assert.True(File.Exists(from), $"COPY {source}: not in the build context");
                var target = words[^1].EndsWith('/') ? Path.Combine(HostPath(BuildRoot, destination), Path.GetFileName(from)) : HostPath(BuildRoot, destination);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(from, target, overwrite: true);
            }
        }
    }

    private async Task RunDotnetAsync(IReadOnlyList<string> words, string workdir)
    {
        Assert.True(words[0] == "dotnet", $"the build stage runs only dotnet; found RUN {string.Join(' ', words)}");
        var arguments = words.Skip(1).Select(w => w.StartsWith('/') ? HostPath(BuildRoot, w) : w).ToList();
        var environment = new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" };
        var result = await ProcessRunner.RunAsync(DotnetPath, arguments, environment, workingDirectory: HostPath(BuildRoot, workdir), timeout: DotnetStepTimeout);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    public static string DotnetPath =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static string Resolve(string workdir, string path) =>
        path.StartsWith('/') ? path : "/" + Path.Combine(workdir.Trim('/'), path).TrimStart('/');

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        }
        foreach (var directory in Directory.EnumerateDirectories(from))
        {
            var name = Path.GetFileName(directory);
            if (!IgnoredDirectories.Contains(name))
            {
                CopyTree(directory, Path.Combine(to, name));
            }
        }
    }
}
