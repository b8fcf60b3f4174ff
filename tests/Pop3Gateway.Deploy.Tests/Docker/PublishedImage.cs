using Pop3Gateway.Deploy.Tests.Infrastructure;

namespace Pop3Gateway.Deploy.Tests.Docker;

/// <summary>
/// The image's files, made once per test class: the Dockerfile's build stage carried out in a
/// temporary directory (the same <c>dotnet restore</c>/<c>dotnet publish</c> arguments), the
/// runtime stage's files and environment.
/// </summary>
public sealed class PublishedImage : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"pop3gw-image-{Guid.NewGuid():N}");

    public Dockerfile Dockerfile { get; } = Dockerfile.Load(Repository.Dockerfile);

    public ImageFilesystem Filesystem { get; private set; } = null!;

    /// <summary>The runtime stage's WORKDIR on this machine: where ENTRYPOINT runs.</summary>
    public string WorkingDirectory { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        Filesystem = new ImageFilesystem(_root);
        try
        {
            await Filesystem.RunBuildStageAsync(Dockerfile.Build);
            WorkingDirectory = Filesystem.AssembleRuntimeStage(Dockerfile.Runtime, Dockerfile.Build.Name ?? "0");
        }
        catch
        {
            // xunit does not dispose a fixture whose initialisation failed.
            await DisposeAsync();
            throw;
        }
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is not worth failing a test run for.
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// The runtime stage's ENV as a test may use it: every port moved to a free loopback port,
    /// every address forced to 127.0.0.1 (never 0.0.0.0 in a test), Orleans listening on its
    /// advertised loopback address, container paths moved under this machine's scratch directory.
    /// </summary>
    public Dictionary<string, string> LoopbackEnvironment(string instance)
    {
        var environment = new Dictionary<string, string>();
        var image = Dockerfile.Runtime.Environment();
        var ports = new Queue<int>(FreePorts.Allocate(image.Count));
        foreach (var (key, value) in image)
        {
            environment[key] = key switch
            {
                "POP3GW__Orleans__ListenOnAnyAddress" => "false",
                _ when key.EndsWith("Port", StringComparison.Ordinal) => ports.Dequeue().ToString(),
                _ when key.EndsWith("Address", StringComparison.Ordinal) => "127.0.0.1",
                _ when value.StartsWith('/') => ImageFilesystem.HostPath(Path.Combine(Filesystem.RuntimeRoot, instance), value),
                _ => value,
            };
        }
        var data = environment["POP3GW__Storage__DataDirectory"];
        Directory.CreateDirectory(data);
        return environment;
    }
}
