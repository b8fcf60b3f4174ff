using System.Collections.Immutable;

namespace Pop3Gateway.Grains.Accounts;

/// <summary>Persisted state of <see cref="AccountDirectoryShardGrain"/>.</summary>
[GenerateSerializer]
public sealed record AccountDirectoryShardState
{
    /// <summary>This shard's logins, sorted ordinally, without duplicates.</summary>
    [Id(0)] public ImmutableArray<string> Logins { get; init; } = [];

    /// <summary>
    /// True once this shard holds its part of the single record older versions kept
    /// (<see cref="AccountDirectoryState"/>); from then on that record is never read again.
    /// </summary>
    [Id(1)] public bool Migrated { get; init; }

    /// <summary>
    /// True once this shard is marked in <see cref="IAccountDirectoryIndexGrain"/>, which is done before its first
    /// login is stored. Shards stored before the index existed are false, and found by the index's first listing.
    /// </summary>
    [Id(2)] public bool Indexed { get; init; }
}
