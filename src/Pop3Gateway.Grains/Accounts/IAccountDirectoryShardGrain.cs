using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Accounts;

/// <summary>
/// One shard of the account directory (key: <see cref="AccountDirectoryShards.Key"/>): the logins whose
/// <see cref="AccountDirectoryShards.IndexOf"/> is this shard's index, sorted. Reached through
/// <see cref="IAccountDirectoryGrain"/>, which routes each login to its shard.
/// </summary>
[Alias("Pop3Gateway.IAccountDirectoryShardGrain")]
public interface IAccountDirectoryShardGrain : IGrainWithStringKey
{
    [Alias("Add")] Task Add(string login);

    /// <summary>Adds logins of this shard with one write. Idempotent.</summary>
    [Alias("AddMany")] Task AddMany(IReadOnlyList<string> logins);

    [Alias("Remove")] Task Remove(string login);

    /// <summary>This shard's part of <see cref="IAccountDirectoryGrain.Page"/>, with the same arguments and token.</summary>
    [Alias("Page")] Task<LoginPage> Page(string? prefix, string? after, int limit);
}
