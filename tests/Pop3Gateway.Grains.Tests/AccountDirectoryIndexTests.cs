using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;
using Pop3Gateway.Grains.Accounts;

namespace Pop3Gateway.Grains.Tests;

/// <summary>A page asks only the shards that may hold logins; the set is found by listing the store when it has no record.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AccountDirectoryIndexTests(ClusterFixture fixture)
{
    private static string NewKey() => "index-" + Guid.NewGuid().ToString("N");

    private static readonly string[] Spread = ["ann", "bob", "cat"];

    private static int[] ShardsOf(IEnumerable<string> logins) => [.. logins.Select(AccountDirectoryShards.IndexOf).Distinct().Order()];

    private async Task<string[]> ActiveShardKeysAsync(string directory)
    {
        var type = fixture.Grains.GetGrain<IAccountDirectoryShardGrain>(AccountDirectoryShards.Key(directory, 0)).GetGrainId().Type;
        var active = await fixture.Grains.GetGrain<IManagementGrain>(0).GetActiveGrains(type);
        return [.. active.Select(id => id.Key.ToString()!).Where(key => key.StartsWith(directory + "/", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task Page_FewLogins_ActivatesOnlyTheirShards()
    {
        Assert.Equal(3, ShardsOf(Spread).Length);
        var key = NewKey();
        var directory = fixture.Grains.GetGrain<IAccountDirectoryGrain>(key);
        foreach (var login in Spread)
        {
            await directory.Add(login);
        }
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var page = await directory.Page(null, null, 10);

        Assert.Equal(Spread, page.Logins);
        Assert.Null(page.Next);
        Assert.Equal(ShardsOf(Spread).Select(i => AccountDirectoryShards.Key(key, i)), await ActiveShardKeysAsync(key));
        Assert.Equal(ShardsOf(Spread), await fixture.Grains.GetGrain<IAccountDirectoryIndexGrain>(key).Occupied());
    }

    [Fact]
    public async Task Page_EmptyDirectory_NoShardActivated()
    {
        var key = NewKey();

        var page = await fixture.Grains.GetGrain<IAccountDirectoryGrain>(key).Page(null, null, 10);

        Assert.Empty(page.Logins);
        Assert.Null(page.Next);
        Assert.Empty(await ActiveShardKeysAsync(key));
    }

    [Fact]
    public async Task Page_ShardsStoredBeforeTheIndexExisted_FoundByListingTheStore()
    {
        // Shards as a version without the index left them: stored, never marked.
        var key = NewKey();
        var storage = fixture.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(StorageNames.Mailboxes);
        foreach (var group in Spread.Append("dan").GroupBy(AccountDirectoryShards.IndexOf))
        {
            var state = new GrainState<AccountDirectoryShardState>(new AccountDirectoryShardState { Logins = [.. group], Migrated = true });
            await storage.WriteStateAsync(AccountDirectoryShardGrain.StateName, GrainId.Create("accountdirectoryshard", AccountDirectoryShards.Key(key, group.Key)), state);
        }
        var directory = fixture.Grains.GetGrain<IAccountDirectoryGrain>(key);

        var page = await directory.Page(null, null, 10);

        Assert.Equal(["ann", "bob", "cat", "dan"], page.Logins);
        Assert.Equal(ShardsOf(page.Logins), await fixture.Grains.GetGrain<IAccountDirectoryIndexGrain>(key).Occupied());
    }

    [Fact]
    public async Task Remove_LastLoginOfItsShard_ShardStaysMarkedAndPageEmpty()
    {
        var key = NewKey();
        var directory = fixture.Grains.GetGrain<IAccountDirectoryGrain>(key);
        await directory.Add("eve");

        await directory.Remove("eve");

        Assert.Empty((await directory.Page(null, null, 10)).Logins);
        Assert.Equal(ShardsOf(["eve"]), await fixture.Grains.GetGrain<IAccountDirectoryIndexGrain>(key).Occupied());
    }

    [Fact]
    public async Task Add_IndexCannotBeWritten_FailsBeforeTheShardIsWritten()
    {
        var key = NewKey();
        var directory = fixture.Grains.GetGrain<IAccountDirectoryGrain>(key);
        Assert.Empty((await directory.Page(null, null, 10)).Logins);
        var shard = AccountDirectoryShards.Key(key, AccountDirectoryShards.IndexOf("fay"));
        fixture.Faults.FailWrites = true;
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => directory.Add("fay"));
        }
        finally
        {
            fixture.Faults.FailWrites = false;
        }
        Assert.Equal(0, fixture.Faults.Writes(AccountDirectoryShardGrain.StateName, shard));

        await directory.Add("fay");

        Assert.Equal(["fay"], (await directory.Page(null, null, 10)).Logins);
        Assert.Equal(1, fixture.Faults.Writes(AccountDirectoryShardGrain.StateName, shard));
    }

    [Fact]
    public async Task AddMany_ThenReactivated_IndexReadFromItsRecordHoldsEveryShard()
    {
        var key = NewKey();
        var logins = Enumerable.Range(0, 200).Select(i => $"bulk{i}").ToArray();
        var directory = fixture.Grains.GetGrain<IAccountDirectoryGrain>(key);
        await directory.AddMany(logins);
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var occupied = await fixture.Grains.GetGrain<IAccountDirectoryIndexGrain>(key).Occupied();

        Assert.Equal(ShardsOf(logins), occupied);
        Assert.Equal(logins.Order(StringComparer.Ordinal), (await directory.Page(null, null, 1000)).Logins);
    }
}
