using System.Collections.Immutable;
using System.Globalization;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Grains.Accounts;

/// <summary>
/// One shard's sorted logins. Each change writes this shard's state only. At its first activation a shard takes its
/// part of the old single record, if there is one (<see cref="IAccountDirectoryLegacyGrain"/>), before it serves any
/// call. Storage failures surface as exceptions and leave the state as it was.
/// </summary>
public sealed class AccountDirectoryShardGrain(
    [PersistentState("directory-shard", StorageNames.Mailboxes)] IPersistentState<AccountDirectoryShardState> state)
    : Grain, IAccountDirectoryShardGrain
{
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Migrated)
        {
            return;
        }
        var key = this.GetPrimaryKeyString();
        var slash = key.LastIndexOf('/');
        if (slash < 0 || !int.TryParse(key.AsSpan(slash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var index))
        {
            throw new InvalidOperationException($"'{key}' is not a directory shard key");
        }
        var part = await GrainFactory.GetGrain<IAccountDirectoryLegacyGrain>(key[..slash]).Take(index);
        if (part.Count == 0)
        {
            // Nothing to move: remembered with the next write, asked again (cheaply) until then.
            state.State = state.State with { Migrated = true };
            return;
        }
        await WriteAsync(AccountDirectoryLogins.Union(Logins, part), migrated: true);
    }

    public Task Add(string login) => WriteAsync(AccountDirectoryLogins.With(Logins, login));

    public Task AddMany(IReadOnlyList<string> logins) => WriteAsync(AccountDirectoryLogins.Union(Logins, logins));

    public Task Remove(string login) => WriteAsync(AccountDirectoryLogins.Without(Logins, login));

    public Task<LoginPage> Page(string? prefix, string? after, int limit) =>
        Task.FromResult(AccountDirectoryLogins.Page(Logins, prefix, after, limit));

    private ImmutableArray<string> Logins => state.State.Logins.IsDefault ? [] : state.State.Logins;

    /// <summary>Stores <paramref name="logins"/> unless they are the logins held already (and no migration is to be recorded).</summary>
    private async Task WriteAsync(ImmutableArray<string> logins, bool migrated = false)
    {
        if (logins == Logins && !migrated)
        {
            return;
        }
        var previous = state.State;
        state.State = previous with { Logins = logins, Migrated = true };
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
}
