using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;
using Pop3Gateway.Abstractions.Storage;
using Pop3Gateway.Storage.Embedded;

namespace Pop3Gateway.Storage.Tests;

/// <summary>Every file the embedded store writes is 0600 and every directory it creates 0700, whatever the umask allows.</summary>
public sealed class EmbeddedFileModesTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddSerializer().BuildServiceProvider();

    private string DataDirectory => Path.Combine(_directory.Path, "data");

    public void Dispose()
    {
        _services.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task Writes_BodiesIndexAndState_FilesOwnerOnlyAndDirectoriesOwnerOnly()
    {
        var options = new EmbeddedStorageOptions { DataDirectory = DataDirectory };
        var body = await new EmbeddedBodyStore(Options.Create(options), TimeProvider.System)
            .WriteAsync("alice", new MemoryStream(Encoding.ASCII.GetBytes("Subject: x\r\n\r\nbody\r\n")), CancellationToken.None);
        await new EmbeddedSegmentStore(Options.Create(options)).WriteAsync("alice", "s1", new byte[] { 1, 2, 3 }, CancellationToken.None);
        var storage = new EmbeddedGrainStorage(options, new OrleansGrainStorageSerializer(_services.GetRequiredService<Serializer>()), TimeProvider.System);
        await storage.WriteStateAsync("state", GrainId.Create("mailbox", "alice"), new GrainState<TestState>(new TestState { Name = "alice" }));

        Assert.True(File.Exists(Path.Combine(DataDirectory, "bodies", "alice", body.BodyId + ".eml")));
        var files = Directory.EnumerateFiles(DataDirectory, "*", SearchOption.AllDirectories).ToList();
        Assert.Equal(3, files.Count);
        Assert.All(files, f => Assert.Equal(PrivateFiles.OwnerOnlyFile, ModeOf(f)));
        var directories = Directory.EnumerateDirectories(DataDirectory, "*", SearchOption.AllDirectories).Append(DataDirectory).ToList();
        Assert.Contains(Path.Combine(DataDirectory, "grains"), directories);
        Assert.All(directories, d => Assert.Equal(PrivateFiles.OwnerOnlyDirectory, ModeOf(d)));
    }

    private static UnixFileMode ModeOf(string path) =>
        OperatingSystem.IsWindows() ? throw new PlatformNotSupportedException("Unix file modes") : File.GetUnixFileMode(path);
}
