using System.Collections.Immutable;
using System.Globalization;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Grains.Accounts;

/// <summary>
/// One shard's sorted logins. Each change writes this shard's state only; before its first login is written, the
/// shard marks itself in the directory's <see cref="IAccountDirectoryIndexGrain"/>. At its first activation a shard
/// takes its part of the old single record, if there is one (<see cref="IAccountDirectoryLegacyGrain"/>), before it
/// serves any call. Storage failures surface as exceptions and leave the state as it was.
/// </summary>
public sealed class AccountDirectoryShardGrain(
    [PersistentState(AccountDirectoryShardGrain.StateName, StorageNames.Mailboxes)] IPersistentState<AccountDirectoryShardState> state)
    : Grain, IAccountDirectoryShardGrain
{
    /// <summary>The name of a shard's state, under which the store lists the shards it holds.</summary>
    public const string StateName = "directory-shard";

    private string _directory = "";
    private int _index;

    /// <summary>Splits a shard key (<see cref="AccountDirectoryShards.Key"/>) into its directory and shard index.</summary>
    public static bool TryParseKey(string key, out string directory, out int index)
    {
        var slash = key.LastIndexOf('/');
        directory = slash < 0 ? "" : key[..slash];
        index = -1;
        return slash >= 0
            && int.TryParse(key.AsSpan(slash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out index)
            && index is >= 0 and < AccountDirectoryShards.Count
            && key == AccountDirectoryShards.Key(directory, index);
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        if (!TryParseKey(key, out _directory, out _index))
        {
            throw new InvalidOperationException($"'{key}' is not a directory shard key");
        }
        if (state.State.Migrated)
        {
            return;
        }
        var part = await GrainFactory.GetGrain<IAccountDirectoryLegacyGrain>(_directory).Take(_index);
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
        var indexed = state.State.Indexed;
        if (!indexed && logins.Length > 0)
        {
            await GrainFactory.GetGrain<IAccountDirectoryIndexGrain>(_directory).Mark([_index]);
            indexed = true;
        }
        var previous = state.State;
        state.State = previous with { Logins = logins, Migrated = true, Indexed = indexed };
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
