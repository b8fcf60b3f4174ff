using System.Collections.Immutable;
using Orleans.Concurrency;

namespace Pop3Gateway.Grains.Accounts;

/// <summary>
/// Which shards of one directory (same key as <see cref="Pop3Gateway.Abstractions.IAccountDirectoryGrain"/>) may hold
/// logins, so that a page asks those shards only: a directory of a few accounts costs a few shard reads, not 1,024.
/// A shard is marked before its first login is written and never unmarked, so the set only errs by shards that
/// were emptied since; it changes at most once per shard, which keeps this grain off the add path after that.
/// </summary>
[Alias("Pop3Gateway.IAccountDirectoryIndexGrain")]
public interface IAccountDirectoryIndexGrain : IGrainWithStringKey
{
    /// <summary>The shards that may hold logins, ascending; every shard that holds one is among them.</summary>
    [Alias("Occupied"), ReadOnly] Task<ImmutableArray<int>> Occupied();

    /// <summary>Marks the shards <paramref name="shards"/> as holding logins; stored before it returns.</summary>
    [Alias("Mark")] Task Mark(IReadOnlyList<int> shards);
}
