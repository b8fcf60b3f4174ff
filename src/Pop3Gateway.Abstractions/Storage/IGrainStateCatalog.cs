namespace Pop3Gateway.Abstractions.Storage;

/// <summary>
/// Which grain states a grain storage holds, found by listing the store rather than reading each record: one
/// directory read (embedded) or one blob listing (Azure) for thousands of keys. Registered as a keyed service under
/// the name of the grain storage it lists (<see cref="StorageNames.Mailboxes"/>).
/// </summary>
public interface IGrainStateCatalog
{
    /// <summary>
    /// The keys of the grains of type <paramref name="grainType"/> that have a stored state named
    /// <paramref name="stateName"/> and start with <paramref name="keyPrefix"/>, in no particular order.
    /// </summary>
    IAsyncEnumerable<string> KeysAsync(string stateName, GrainType grainType, string keyPrefix, CancellationToken cancellationToken);
}
