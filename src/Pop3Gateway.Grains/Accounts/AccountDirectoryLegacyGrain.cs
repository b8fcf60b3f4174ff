using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Grains.Accounts;

/// <summary>
/// Reads the single directory record older versions wrote, and hands each shard its part. The grain type and state
/// name are those the record was written under. The record is left as it is: a shard that has taken its part never
/// asks again, and a shard that failed before storing its part can ask again and get the same logins.
/// </summary>
[GrainType("accountdirectory")]
public sealed class AccountDirectoryLegacyGrain(
    [PersistentState("directory", StorageNames.Mailboxes)] IPersistentState<AccountDirectoryState> state)
    : Grain, IAccountDirectoryLegacyGrain
{
    /// <summary>The old record split by shard, computed at the first call of this activation.</summary>
    private Dictionary<int, string[]>? _parts;

    public Task<IReadOnlyList<string>> Take(int shard) =>
        Task.FromResult<IReadOnlyList<string>>(Parts.TryGetValue(shard, out var part) ? part : []);

    public Task<IReadOnlyList<int>> Shards() => Task.FromResult<IReadOnlyList<int>>([.. Parts.Keys.Order()]);

    private Dictionary<int, string[]> Parts
    {
        get
        {
            var logins = state.State.Logins.IsDefault ? [] : state.State.Logins;
            return _parts ??= logins.GroupBy(AccountDirectoryShards.IndexOf).ToDictionary(g => g.Key, g => g.ToArray());
        }
    }
}
