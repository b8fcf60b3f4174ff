namespace Pop3Gateway.Abstractions;

/// <summary>
/// The list of all account logins (key: <see cref="DefaultKey"/>), for <c>pop3gw account list</c>. The logins live
/// in <see cref="AccountDirectoryShards.Count"/> shards chosen by a hash of the login, so adding or removing one
/// rewrites one shard, whatever the number of accounts; a page is merged across the shards in ordinal order.
/// </summary>
[Alias("Pop3Gateway.IAccountDirectoryGrain")]
public interface IAccountDirectoryGrain : IGrainWithStringKey
{
    public const string DefaultKey = "accounts";

    /// <summary>The most logins one <see cref="Page"/> call returns; a larger limit is cut to this.</summary>
    public const int MaxPageSize = 1000;

    [Alias("Add")] Task Add(string login);

    /// <summary>
    /// Adds many logins (bulk import) with one write per shard they fall in. Idempotent. Callers with very many
    /// logins send them ordered by <see cref="AccountDirectoryShards.IndexOf"/>, so each call touches few shards.
    /// </summary>
    [Alias("AddMany")] Task AddMany(IReadOnlyList<string> logins);

    [Alias("Remove")] Task Remove(string login);

    /// <summary>
    /// Up to <paramref name="limit"/> logins (1 to <see cref="MaxPageSize"/>) that start with
    /// <paramref name="prefix"/> (null: all) and sort ordinally after <paramref name="after"/> (null: from the
    /// first), with the token for the next page.
    /// </summary>
    [Alias("Page")] Task<LoginPage> Page(string? prefix, string? after, int limit);
}
