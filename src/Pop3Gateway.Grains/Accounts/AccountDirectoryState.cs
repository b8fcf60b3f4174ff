using System.Collections.Immutable;

namespace Pop3Gateway.Grains.Accounts;

/// <summary>Persisted state of <see cref="AccountDirectoryGrain"/>.</summary>
[GenerateSerializer]
public sealed record AccountDirectoryState
{
    /// <summary>All logins, sorted ordinally, without duplicates.</summary>
    [Id(0)] public ImmutableArray<string> Logins { get; init; } = [];
}
