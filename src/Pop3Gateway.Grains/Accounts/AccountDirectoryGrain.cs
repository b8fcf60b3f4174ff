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

    private ImmutableArray<string> Logins =>
        state.State.Logins.IsDefault ? [] : state.State.Logins;
}
