using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;
using Pop3Gateway.Grains.Accounts;

namespace Pop3Gateway.Bench.DirectoryScaling;

/// <summary>The directory as it was before the shards: every login in one record, rewritten whole by each change.</summary>
[Alias("Pop3Gateway.Bench.ISingleRecordDirectoryGrain")]
public interface ISingleRecordDirectoryGrain : IGrainWithStringKey
{
    [Alias("Add")] Task Add(string login);

    [Alias("AddMany")] Task AddMany(IReadOnlyList<string> logins);

    [Alias("Page")] Task<LoginPage> Page(string? prefix, string? after, int limit);
}

/// <summary>The same state record, state name and storage as the old directory grain, so the bytes written are the same.</summary>
public sealed class SingleRecordDirectoryGrain(
    [PersistentState("directory", StorageNames.Mailboxes)] IPersistentState<AccountDirectoryState> state)
    : Grain, ISingleRecordDirectoryGrain
{
    public Task Add(string login) => WriteAsync(state.State with { Logins = AccountDirectoryLogins.With(state.State.Logins, login) });

    public Task AddMany(IReadOnlyList<string> logins) => WriteAsync(state.State with { Logins = AccountDirectoryLogins.Union(state.State.Logins, logins) });

    public Task<LoginPage> Page(string? prefix, string? after, int limit) =>
        Task.FromResult(AccountDirectoryLogins.Page(state.State.Logins, prefix, after, limit));

    private Task WriteAsync(AccountDirectoryState next)
    {
        state.State = next;
        return state.WriteStateAsync();
    }
}
