using Azure.Storage.Blobs;
using Pop3Gateway.Storage.Azure;

namespace Pop3Gateway.Storage.Tests;

/// <summary>The Azure state catalog lists a real Azurite container by the blob names the Orleans blob grain storage writes.</summary>
public sealed class AzureStateCatalogTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly GrainType Shard = GrainType.Create("accountdirectoryshard");

    private readonly BlobContainerClient _container = AzureClients.Blobs(azurite.Options("c" + Guid.NewGuid().ToString("N")[..10]))
        .GetBlobContainerClient("c" + Guid.NewGuid().ToString("N")[..12]);

    private async Task<List<string>> KeysAsync(string prefix)
    {
        var keys = new List<string>();
        await foreach (var key in new AzureStateCatalog(_container).KeysAsync("directory-shard", Shard, prefix, CancellationToken.None))
        {
            keys.Add(key);
        }
        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    [Fact]
    public async Task KeysAsync_NoContainer_Empty()
    {
        Assert.Empty(await KeysAsync(""));
    }

    [Fact]
    public async Task KeysAsync_StatesOfSeveralKinds_OnlyTheStateTypeAndPrefixAsked()
    {
        await _container.CreateAsync();
        string[] names =
        [
            "directory-shard-accountdirectoryshard/accounts/001.json",
            "directory-shard-accountdirectoryshard/accounts/3ff.json",
            "directory-shard-accountdirectoryshard/other/001.json",
            "directory-index-accountdirectoryindex/accounts.json",
            "directory-shard-accountdirectoryshardx/accounts/002.json",
        ];
        foreach (var name in names)
        {
            await _container.UploadBlobAsync(name, BinaryData.FromString("{}"));
        }

        Assert.Equal(["accounts/001", "accounts/3ff"], await KeysAsync("accounts/"));
        Assert.Equal(["accounts/001", "accounts/3ff", "other/001"], await KeysAsync(""));
    }

    [Fact]
    public async Task KeysAsync_MoreThanOneListingPage_EveryKey()
    {
        await _container.CreateAsync();
        var keys = Enumerable.Range(0, 5_100).Select(i => $"accounts/{i:x4}").ToArray();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (key, ct) =>
            await _container.UploadBlobAsync($"directory-shard-accountdirectoryshard/{key}.json", BinaryData.FromString("{}"), ct));

        Assert.Equal(keys, await KeysAsync("accounts/"));
    }
}
