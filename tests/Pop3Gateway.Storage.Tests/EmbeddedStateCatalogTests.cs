using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Pop3Gateway.Storage.Embedded;

namespace Pop3Gateway.Storage.Tests;

/// <summary>The embedded store lists the grain states it holds from its file names, without reading them.</summary>
public sealed class EmbeddedStateCatalogTests : IDisposable
{
    private const string StateName = "directory-shard";
    private static readonly GrainType Shard = GrainType.Create("accountdirectoryshard");

    private readonly TempDirectory _directory = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddSerializer().BuildServiceProvider();

    public void Dispose()
    {
        _services.Dispose();
        _directory.Dispose();
    }

    private EmbeddedStorageOptions Options => new() { DataDirectory = _directory.Path };

    private async Task WriteAsync(string stateName, GrainType type, string key)
    {
        var storage = new EmbeddedGrainStorage(Options, new OrleansGrainStorageSerializer(_services.GetRequiredService<Serializer>()), TimeProvider.System);
        await storage.WriteStateAsync(stateName, GrainId.Create(type, key), new GrainState<TestState>(new TestState { Name = key }));
    }

    private async Task<List<string>> KeysAsync(string stateName, GrainType type, string prefix)
    {
        var keys = new List<string>();
        await foreach (var key in new EmbeddedStateCatalog(Options).KeysAsync(stateName, type, prefix, CancellationToken.None))
        {
            keys.Add(key);
        }
        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    [Fact]
    public async Task KeysAsync_NothingStored_Empty()
    {
        Assert.Empty(await KeysAsync(StateName, Shard, ""));
    }

    [Fact]
    public async Task KeysAsync_StatesOfSeveralKinds_OnlyTheTypeStateAndPrefixAsked()
    {
        await WriteAsync(StateName, Shard, "accounts/001");
        await WriteAsync(StateName, Shard, "accounts/3ff");
        await WriteAsync(StateName, Shard, "other/001");
        await WriteAsync("directory-index", Shard, "accounts/002");
        await WriteAsync(StateName, GrainType.Create("account"), "accounts/003");

        Assert.Equal(["accounts/001", "accounts/3ff"], await KeysAsync(StateName, Shard, "accounts/"));
        Assert.Equal(["accounts/001", "accounts/3ff", "other/001"], await KeysAsync(StateName, Shard, ""));
    }

    [Fact]
    public async Task KeysAsync_KeysThatNeedEscaping_ReturnedAsWritten()
    {
        string[] keys = [".dot/x", "ä ö/ü", "a%41b", "emoji😀/1", "slash/and:colon"];
        foreach (var key in keys)
        {
            await WriteAsync(StateName, Shard, key);
        }

        Assert.Equal(keys.Order(StringComparer.Ordinal), await KeysAsync(StateName, Shard, ""));
        Assert.Equal(["ä ö/ü"], await KeysAsync(StateName, Shard, "ä"));
    }

    [Fact]
    public async Task KeysAsync_UnfinishedWriteBesideTheStates_NotListed()
    {
        await WriteAsync(StateName, Shard, "accounts/001");
        var directory = Path.GetDirectoryName(Directory.GetFiles(_directory.Path, "*.state", SearchOption.AllDirectories).Single())!;
        await File.WriteAllTextAsync(Path.Combine(directory, DurableFiles.TempPrefix + "0123456789abcdef"), "half");
        await File.WriteAllTextAsync(Path.Combine(directory, "notes.txt"), "stray");

        Assert.Equal(["accounts/001"], await KeysAsync(StateName, Shard, ""));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain-key_1@x+y.z")]
    [InlineData(".leading")]
    [InlineData("per%cent")]
    [InlineData("ünïcödé/😀")]
    public void UnescapeSegment_OfEscapeSegment_TheOriginal(string value)
    {
        Assert.Equal(value, EmbeddedGrainStorage.UnescapeSegment(EmbeddedGrainStorage.EscapeSegment(value)));
    }
}
