using Orleans.Concurrency;
using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Accounts;

/// <summary>
/// The account directory's entry point: routes each login to its shard (<see cref="AccountDirectoryShards"/>) and
/// merges pages across the shards that may hold logins (<see cref="IAccountDirectoryIndexGrain"/>). Holds no state, so it runs as a local worker on every silo. Its grain type is
/// not the default one, which belongs to the record older versions wrote (<see cref="AccountDirectoryLegacyGrain"/>).
/// </summary>
[StatelessWorker, GrainType("accountdirectoryrouter")]
public sealed class AccountDirectoryGrain : Grain, IAccountDirectoryGrain
{
    /// <summary>Shard writes in flight at once for one <see cref="AddMany"/>: enough to overlap storage writes, few enough not to swamp a silo.</summary>
    private const int ShardWriteConcurrency = 16;

    private IAccountDirectoryShardGrain[]? _shards;

    public Task Add(string login) => ShardOf(login).Add(login);

    public Task Remove(string login) => ShardOf(login).Remove(login);

    public async Task AddMany(IReadOnlyList<string> logins)
    {
        var groups = logins.GroupBy(AccountDirectoryShards.IndexOf).ToArray();
        // One index write for all the shards, rather than one per shard at its first login.
        await Index.Mark([.. groups.Select(group => group.Key)]);
        using var slots = new SemaphoreSlim(ShardWriteConcurrency);
        await Task.WhenAll(groups.Select(async group =>
        {
            await slots.WaitAsync();
            try
            {
                await Shards[group.Key].AddMany([.. group]);
            }
            finally
            {
                slots.Release();
            }
        }));
    }

    public async Task<LoginPage> Page(string? prefix, string? after, int limit)
    {
        var occupied = await Index.Occupied();
        return occupied.IsEmpty
            ? new LoginPage([], null)
            : await AccountDirectoryPaging.PageAsync([.. occupied.Select(index => Shards[index])], prefix, after, limit);
    }

    private IAccountDirectoryIndexGrain Index => GrainFactory.GetGrain<IAccountDirectoryIndexGrain>(this.GetPrimaryKeyString());

    private IAccountDirectoryShardGrain ShardOf(string login) => Shards[AccountDirectoryShards.IndexOf(login)];

    private IAccountDirectoryShardGrain[] Shards => _shards ??= [.. Enumerable.Range(0, AccountDirectoryShards.Count)
        .Select(i => GrainFactory.GetGrain<IAccountDirectoryShardGrain>(AccountDirectoryShards.Key(this.GetPrimaryKeyString(), i)))];
}
