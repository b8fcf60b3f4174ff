using System.Collections.Immutable;

namespace Pop3Gateway.Grains.Accounts;

/// <summary>
/// The directory record of older versions, every login in one state (read by <see cref="AccountDirectoryLegacyGrain"/>
/// to move them into the shards; never written any more).
/// </summary>
[GenerateSerializer]
public sealed record AccountDirectoryState
{
    /// <summary>All logins, sorted ordinally, without duplicates.</summary>
    [Id(0)] public ImmutableArray<string> Logins { get; init; } = [];
}
