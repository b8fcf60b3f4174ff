using System.Collections.Immutable;

namespace Pop3Gateway.Grains.Accounts;

/// <summary>Persisted state of <see cref="AccountDirectoryIndexGrain"/>.</summary>
[GenerateSerializer]
public sealed record AccountDirectoryIndexState
{
    /// <summary>Indexes of the shards that may hold logins, ascending, without duplicates.</summary>
    [Id(0)] public ImmutableArray<int> Occupied { get; init; } = [];
}
