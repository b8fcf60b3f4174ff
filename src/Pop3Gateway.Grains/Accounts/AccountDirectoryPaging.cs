using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Accounts;

/// <summary>
/// One globally sorted page over all shards: every shard is asked for a few logins after the token, the answers are
/// merged, and only the shards that may hold logins inside the page are asked again, for a full page. Two rounds at
/// most: after the second, each shard asked again is either exhausted or holds a page's worth beyond the cut.
/// </summary>
internal static class AccountDirectoryPaging
{
    /// <summary>The fewest logins the first round asks of each shard: hash spread is uneven, and small answers are cheap.</summary>
    private const int MinFirstRound = 8;

    public static async Task<LoginPage> PageAsync(IReadOnlyList<IAccountDirectoryShardGrain> shards, string? prefix, string? after, int limit)
    {
        limit = Math.Clamp(limit, 1, IAccountDirectoryGrain.MaxPageSize);
        // Twice a shard's fair share of the page, so that the second round is rare.
        var first = Math.Min(limit, Math.Max(MinFirstRound, 2 * limit / shards.Count + 1));
        var pages = await Task.WhenAll(shards.Select(shard => shard.Page(prefix, after, first)));
        var cut = Cut(pages, limit);
        var again = Enumerable.Range(0, pages.Length)
            .Where(i => pages[i].Next is { } last && (cut is null || string.CompareOrdinal(last, cut) < 0))
            .ToArray();
        var more = await Task.WhenAll(again.Select(i => shards[i].Page(prefix, pages[i].Next, limit)));
        for (var j = 0; j < again.Length; j++)
        {
            var i = again[j];
            pages[i] = new LoginPage([.. pages[i].Logins, .. more[j].Logins], more[j].Next);
        }
        var merged = pages.SelectMany(p => p.Logins).Order(StringComparer.Ordinal).ToList();
        if (merged.Count <= limit && pages.All(p => p.Next is null))
        {
            return new LoginPage(merged, null);
        }
        var page = merged.GetRange(0, Math.Min(limit, merged.Count));
        return new LoginPage(page, page[^1]);
    }

    /// <summary>The <paramref name="limit"/>-th smallest login of the answers, or null when they hold fewer.</summary>
    private static string? Cut(LoginPage[] pages, int limit)
    {
        var all = pages.SelectMany(p => p.Logins).ToList();
        if (all.Count < limit)
        {
            return null;
        }
        all.Sort(StringComparer.Ordinal);
        return all[limit - 1];
    }
}
