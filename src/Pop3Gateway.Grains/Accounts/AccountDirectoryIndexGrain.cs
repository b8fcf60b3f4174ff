using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Grains.Accounts;

/// <summary>
/// The occupied-shard set of one directory. Built once, at the first activation that finds no record: the shard
/// states the store lists (<see cref="IGrainStateCatalog"/>, one listing instead of 1,024 reads; these include shards
/// written before this index existed) and the shards of the old single record that have not taken their part yet.
/// From then on the shards mark themselves before their first write. A store that cannot list gets every shard,
/// not stored, so that it is built again once it can.
/// </summary>
[GrainType("accountdirectoryindex")]
public sealed class AccountDirectoryIndexGrain(
    [PersistentState("directory-index", StorageNames.Mailboxes)] IPersistentState<AccountDirectoryIndexState> state,
    IServiceProvider services)
    : Grain, IAccountDirectoryIndexGrain
{
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.RecordExists)
        {
            return;
        }
        if (services.GetKeyedService<IGrainStateCatalog>(StorageNames.Mailboxes) is not { } catalog)
        {
            state.State = new AccountDirectoryIndexState { Occupied = [.. Enumerable.Range(0, AccountDirectoryShards.Count)] };
            return;
        }
        var directory = this.GetPrimaryKeyString();
        var found = new SortedSet<int>(await GrainFactory.GetGrain<IAccountDirectoryLegacyGrain>(directory).Shards());
        var shardType = GrainFactory.GetGrain<IAccountDirectoryShardGrain>(AccountDirectoryShards.Key(directory, 0)).GetGrainId().Type;
        await foreach (var key in catalog.KeysAsync(AccountDirectoryShardGrain.StateName, shardType, directory + "/", cancellationToken))
        {
            if (AccountDirectoryShardGrain.TryParseKey(key, out var of, out var index) && of == directory)
            {
                found.Add(index);
            }
        }
        await WriteAsync([.. found]);
    }

    public Task<ImmutableArray<int>> Occupied() => Task.FromResult(state.State.Occupied);

    public Task Mark(IReadOnlyList<int> shards)
    {
        foreach (var shard in shards)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(shard, nameof(shards));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shard, AccountDirectoryShards.Count, nameof(shards));
        }
        var occupied = state.State.Occupied;
        var added = shards.Where(shard => occupied.BinarySearch(shard) < 0).ToArray();
        return added.Length == 0 ? Task.CompletedTask : WriteAsync([.. occupied.Union(added).Order()]);
    }

    private async Task WriteAsync(ImmutableArray<int> occupied)
    {
        var previous = state.State;
        state.State = previous with { Occupied = occupied };
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = previous;
            throw;
        }
    }
}
