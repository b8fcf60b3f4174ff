using System.Collections.Immutable;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Grains.Accounts;

/// <summary>The sorted list of all logins. Add is idempotent; storage failures surface as exceptions.</summary>
public sealed class AccountDirectoryGrain(
    [PersistentState("directory", StorageNames.Mailboxes)] IPersistentState<AccountDirectoryState> state)
    : Grain, IAccountDirectoryGrain
{
    public async Task Add(string login)
    {
        var logins = Logins;
        var index = ImmutableArray.BinarySearch(logins, login, StringComparer.Ordinal);
        if (index >= 0)
        {
            return;
        }
        var previous = state.State;
        state.State = previous with { Logins = logins.Insert(~index, login) };
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = previous;
            throw;
        }
    }

    public async Task AddMany(IReadOnlyList<string> logins)
    {
        var merged = Logins.Union(logins, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToImmutableArray();
        if (merged.Length == Logins.Length)
        {
            return;
        }
        var previous = state.State;
        state.State = previous with { Logins = merged };
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = previous;
            throw;
        }
    }

    public async Task Remove(string login)
    {
        var logins = Logins;
        var index = ImmutableArray.BinarySearch(logins, login, StringComparer.Ordinal);
        if (index < 0)
        {
            return;
        }
        var previous = state.State;
        state.State = previous with { Logins = logins.RemoveAt(index) };
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = previous;
            throw;
        }
    }

    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>(Logins);

    public Task<LoginPage> Page(string? prefix, string? after, int limit)
    {
        var logins = Logins;
        prefix ??= "";
        limit = Math.Clamp(limit, 1, IAccountDirectoryGrain.MaxPageSize);
        var start = LowerBound(logins, prefix);
        if (after is not null && string.CompareOrdinal(after, prefix) >= 0)
        {
            var index = ImmutableArray.BinarySearch(logins, after, StringComparer.Ordinal);
            start = index >= 0 ? index + 1 : ~index;
        }
        var page = new List<string>(Math.Min(limit, logins.Length));
        var next = start;
        for (; next < logins.Length && logins[next].StartsWith(prefix, StringComparison.Ordinal); next++)
        {
            if (page.Count == limit)
            {
                return Task.FromResult(new LoginPage(page, page[^1]));
            }
            page.Add(logins[next]);
        }
        return Task.FromResult(new LoginPage(page, null));
    }

    private static int LowerBound(ImmutableArray<string> logins, string value)
    {
        var index = ImmutableArray.BinarySearch(logins, value, StringComparer.Ordinal);
        return index >= 0 ? index : ~index;
    }

    private ImmutableArray<string> Logins =>
        state.State.Logins.IsDefault ? [] : state.State.Logins;
}
