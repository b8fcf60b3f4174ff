using System.Collections.Immutable;
using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Accounts;

/// <summary>An ordinally sorted list of logins without duplicates: the changes and the page read of one directory shard.</summary>
public static class AccountDirectoryLogins
{
    /// <summary><paramref name="logins"/> with <paramref name="login"/> in its place; the same array when it is there already.</summary>
    public static ImmutableArray<string> With(ImmutableArray<string> logins, string login)
    {
        var index = ImmutableArray.BinarySearch(logins, login, StringComparer.Ordinal);
        return index >= 0 ? logins : logins.Insert(~index, login);
    }

    /// <summary><paramref name="logins"/> without <paramref name="login"/>; the same array when it is not there.</summary>
    public static ImmutableArray<string> Without(ImmutableArray<string> logins, string login)
    {
        var index = ImmutableArray.BinarySearch(logins, login, StringComparer.Ordinal);
        return index < 0 ? logins : logins.RemoveAt(index);
    }

    /// <summary>The union of both, sorted; the same array when <paramref name="added"/> brings nothing new.</summary>
    public static ImmutableArray<string> Union(ImmutableArray<string> logins, IEnumerable<string> added)
    {
        var merged = logins.Union(added, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToImmutableArray();
        return merged.Length == logins.Length ? logins : merged;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> logins (cut to 1 to <see cref="IAccountDirectoryGrain.MaxPageSize"/>) that start
    /// with <paramref name="prefix"/> and sort after <paramref name="after"/>; Next is the page's last login when more
    /// match, else null.
    /// </summary>
    public static LoginPage Page(ImmutableArray<string> logins, string? prefix, string? after, int limit)
    {
        prefix ??= "";
        limit = Math.Clamp(limit, 1, IAccountDirectoryGrain.MaxPageSize);
        var start = LowerBound(logins, prefix);
        if (after is not null && string.CompareOrdinal(after, prefix) >= 0)
        {
            var index = ImmutableArray.BinarySearch(logins, after, StringComparer.Ordinal);
            start = index >= 0 ? index + 1 : ~index;
        }
        var page = new List<string>(Math.Min(limit, logins.Length));
        for (var next = start; next < logins.Length && logins[next].StartsWith(prefix, StringComparison.Ordinal); next++)
        {
            if (page.Count == limit)
            {
                return new LoginPage(page, page[^1]);
            }
            page.Add(logins[next]);
        }
        return new LoginPage(page, null);
    }

    private static int LowerBound(ImmutableArray<string> logins, string value)
    {
        var index = ImmutableArray.BinarySearch(logins, value, StringComparer.Ordinal);
        return index >= 0 ? index : ~index;
    }
}
