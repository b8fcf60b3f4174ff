namespace Pop3Gateway.Grains.Accounts;

/// <summary>
/// The account directory as older versions stored it: every login in one record (<see cref="AccountDirectoryState"/>)
/// under the directory's own key. Read only, so each shard can take its part once.
/// </summary>
[Alias("Pop3Gateway.IAccountDirectoryLegacyGrain")]
public interface IAccountDirectoryLegacyGrain : IGrainWithStringKey
{
    /// <summary>The logins of the old record that belong to shard <paramref name="shard"/>, sorted; none when there is no old record.</summary>
    [Alias("Take")] Task<IReadOnlyList<string>> Take(int shard);

    /// <summary>The shards that have a part in the old record, ascending; none when there is no old record.</summary>
    [Alias("Shards")] Task<IReadOnlyList<int>> Shards();
}
