namespace Pop3Gateway.Abstractions;

/// <summary>
/// Where a login lives in the account directory: one of <see cref="Count"/> shards, by a hash that never changes
/// (stored data depends on it), so the same login always reaches the same shard.
/// </summary>
public static class AccountDirectoryShards
{
    /// <summary>
    /// Fixed forever: changing it would strand every login already stored. 1,024 shards keep a shard near 1,000
    /// logins (about 20 KB) at a million accounts, and a page's fan-out at one call per shard.
    /// </summary>
    public const int Count = 1024;

    /// <summary>
    /// The shard of <paramref name="login"/>: 32-bit FNV-1a over its UTF-16 code units, mixed by MurmurHash3's
    /// finalizer (FNV's low bits alone spread similar logins poorly), modulo <see cref="Count"/>.
    /// </summary>
    public static int IndexOf(string login)
    {
        ArgumentNullException.ThrowIfNull(login);
        var hash = 2166136261u;
        foreach (var c in login)
        {
            hash = (hash ^ c) * 16777619u;
        }
        hash ^= hash >> 16;
        hash *= 0x85ebca6bu;
        hash ^= hash >> 13;
        hash *= 0xc2b2ae35u;
        hash ^= hash >> 16;
        return (int)(hash % Count);
    }

    /// <summary>The grain key of shard <paramref name="index"/> of the directory <paramref name="directory"/>.</summary>
    public static string Key(string directory, int index) => $"{directory}/{index:x3}";
}
