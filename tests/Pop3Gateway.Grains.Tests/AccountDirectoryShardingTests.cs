using Pop3Gateway.Abstractions;
using Pop3Gateway.Grains.Accounts;

namespace Pop3Gateway.Grains.Tests;

/// <summary>The directory across its shards: routing, and pages that stay globally sorted whatever the spread.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AccountDirectoryShardingTests(ClusterFixture fixture)
{
    private static string NewKey() => "shards-" + Guid.NewGuid().ToString("N");

    /// <summary>Every login of a walk in pages of <paramref name="limit"/>, checking that each token is the page's last login.</summary>
    private static async Task<List<string>> WalkAsync(IAccountDirectoryGrain directory, string? prefix, int limit)
    {
        var seen = new List<string>();
        string? next = null;
        do
        {
            var page = await directory.Page(prefix, next, limit);
            Assert.True(page.Logins.Count <= limit);
            Assert.True(page.Next is null || page.Next == page.Logins[^1]);
            seen.AddRange(page.Logins);
            next = page.Next;
        }
        while (next is not null);
        return seen;
    }

    /// <summary><paramref name="count"/> logins that all fall in shard <paramref name="shard"/>.</summary>
    private static string[] LoginsOfShard(int shard, int count) =>
        [.. Enumerable.Range(0, int.MaxValue).Select(i => $"crowd{i}").Where(l => AccountDirectoryShards.IndexOf(l) == shard).Take(count)];

    [Fact]
    public async Task Page_WalkInSmallPages_EveryLoginOnceInOrdinalOrder()
    {
        var logins = Enumerable.Range(0, 3000).Select(i => $"user{i * 7919 % 3000}").ToArray();
        var directory = fixture.Grains.GetGrain<IAccountDirectoryGrain>(NewKey());
        await directory.AddMany(logins);

        var seen = await WalkAsync(directory, null, 37);

        Assert.Equal(logins.Order(StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task Page_PrefixWalk_OnlyMatchingLoginsInOrder()
    {
        var logins = Enumerable.Range(0, 2000).Select(i => i % 3 == 0 ? $"bob{i}" : $"ann{i}").ToArray();
        var directory = fixture.Grains.GetGrain<IAccountDirectoryGrain>(NewKey());
        await directory.AddMany(logins);

        var seen = await WalkAsync(directory, "bob", 100);

        Assert.Equal(logins.Where(l => l.StartsWith("bob", StringComparison.Ordinal)).Order(StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task Page_LoginsCrowdedInOneShard_StillGloballySorted()
    {
        // Far more than the first round asks of one shard, so the page needs the second round.
        var crowded = LoginsOfShard(5, 60);
        var spread = Enumerable.Range(0, 300).Select(i => $"crowd-spread{i}").ToArray();
        var directory = fixture.Grains.GetGrain<IAccountDirectoryGrain>(NewKey());
        await directory.AddMany([.. crowded, .. spread]);

        var seen = await WalkAsync(directory, "crowd", 50);

        Assert.Equal(crowded.Concat(spread).Order(StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task Page_AfterAddAndRemove_ChangesVisible()
    {
        var directory = fixture.Grains.GetGrain<IAccountDirectoryGrain>(NewKey());
        await directory.AddMany(["a1", "a2", "a3", "a4"]);
        var first = await directory.Page(null, null, 2);

        await directory.Remove("a3");
        await directory.Add("a25");
        await directory.Add("a0");
        var second = await directory.Page(null, first.Next, 2);

        Assert.Equal(["a1", "a2"], first.Logins);
        Assert.Equal(["a25", "a4"], second.Logins);
        Assert.Null(second.Next);
        Assert.Equal(["a0", "a1", "a2", "a25", "a4"], await WalkAsync(directory, null, 1000));
    }

    [Fact]
    public async Task AddMany_LoginsOfManyShards_EachStoredInItsOwnShard()
    {
        var key = NewKey();
        var logins = Enumerable.Range(0, 500).Select(i => $"many{i}").ToArray();

        await fixture.Grains.GetGrain<IAccountDirectoryGrain>(key).AddMany(logins);

        foreach (var group in logins.GroupBy(AccountDirectoryShards.IndexOf))
        {
            var shard = fixture.Grains.GetGrain<IAccountDirectoryShardGrain>(AccountDirectoryShards.Key(key, group.Key));
            Assert.Equal(group.Order(StringComparer.Ordinal), (await shard.Page(null, null, 1000)).Logins);
        }
        Assert.True(logins.Select(AccountDirectoryShards.IndexOf).Distinct().Count() > 300);
    }

    [Fact]
    public async Task Add_OneLogin_WritesOnlyItsShard()
    {
        var key = NewKey();
        var directory = fixture.Grains.GetGrain<IAccountDirectoryGrain>(key);
        var logins = Enumerable.Range(0, 200).Select(i => $"w{i}").ToArray();
        await directory.AddMany(logins);
        var occupied = logins.Select(AccountDirectoryShards.IndexOf).ToHashSet();
        var newcomer = Enumerable.Range(0, int.MaxValue).Select(i => $"newcomer{i}").First(l => occupied.Contains(AccountDirectoryShards.IndexOf(l)));
        var before = StateFiles(key);

        await directory.Add(newcomer);

        var file = Assert.Single(ChangedSince(before, key));
        Assert.Contains("accountdirectoryshard", file, StringComparison.Ordinal);
        Assert.EndsWith($"%2F{AccountDirectoryShards.IndexOf(newcomer):x3}.state", file, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_FirstLoginOfAShard_WritesItsShardAndTheIndexOnce()
    {
        var key = NewKey();
        var directory = fixture.Grains.GetGrain<IAccountDirectoryGrain>(key);
        await directory.Add("first");
        var stranger = Enumerable.Range(0, int.MaxValue).Select(i => $"stranger{i}").First(l => AccountDirectoryShards.IndexOf(l) != AccountDirectoryShards.IndexOf("first"));
        var before = StateFiles(key);

        await directory.Add(stranger);
        var changed = ChangedSince(before, key).Order(StringComparer.Ordinal).ToArray();
        var again = StateFiles(key);
        await directory.Add(Enumerable.Range(0, int.MaxValue).Select(i => $"sibling{i}").First(l => AccountDirectoryShards.IndexOf(l) == AccountDirectoryShards.IndexOf(stranger)));

        Assert.Equal(2, changed.Length);
        Assert.Contains(changed, f => f.Contains("accountdirectoryindex", StringComparison.Ordinal));
        Assert.Contains(changed, f => f.EndsWith($"%2F{AccountDirectoryShards.IndexOf(stranger):x3}.state", StringComparison.Ordinal));
        Assert.DoesNotContain(ChangedSince(again, key), f => f.Contains("accountdirectoryindex", StringComparison.Ordinal));
    }

    private string[] ChangedSince(Dictionary<string, DateTime> before, string key) =>
        [.. StateFiles(key).Where(f => !before.TryGetValue(f.Key, out var written) || written != f.Value).Select(f => f.Key)];

    [Fact]
    public async Task AddMany_ShardWriteFails_RetryStoresEveryLogin()
    {
        var logins = Enumerable.Range(0, 100).Select(i => $"retry{i}").ToArray();
        var directory = fixture.Grains.GetGrain<IAccountDirectoryGrain>(NewKey());
        fixture.Faults.FailWrites = true;
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => directory.AddMany(logins));
        }
        finally
        {
            fixture.Faults.FailWrites = false;
        }
        Assert.Empty((await directory.Page(null, null, 1000)).Logins);

        await directory.AddMany(logins);

        Assert.Equal(logins.Order(StringComparer.Ordinal), await WalkAsync(directory, null, 1000));
    }

    /// <summary>The state files of directory <paramref name="key"/> (old record and shards), with their last write times.</summary>
    private Dictionary<string, DateTime> StateFiles(string key) =>
        Directory.EnumerateFiles(Path.Combine(fixture.DataDirectory, "grains"), key + "*", SearchOption.AllDirectories)
            .ToDictionary(f => f, File.GetLastWriteTimeUtc);
}
