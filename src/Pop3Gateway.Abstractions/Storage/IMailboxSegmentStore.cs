namespace Pop3Gateway.Abstractions.Storage;

/// <summary>A blob or file that a store holds, with the time it was written (for sweeps).</summary>
public sealed record StoredItem(string Name, DateTimeOffset Written);

/// <summary>
/// Where the segments of mailbox indexes live. A segment is written once under a new name and
/// never changed: a commit writes new segments, then the mailbox header that names them, and
/// only then deletes the segments the header no longer names. Every failure to reach the store
/// surfaces as <see cref="Abstractions.StorageUnavailableException"/>.
/// </summary>
public interface IMailboxSegmentStore
{
    /// <summary>Writes a segment durably; it is whole or absent afterwards.</summary>
    Task WriteAsync(string mailbox, string segment, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Reads a segment; throws <see cref="InvalidDataException"/> if it does not exist.</summary>
    Task<byte[]> ReadAsync(string mailbox, string segment, CancellationToken cancellationToken);

    /// <summary>Deletes a segment; deleting one that is already gone is not an error.</summary>
    Task DeleteAsync(string mailbox, string segment, CancellationToken cancellationToken);

    /// <summary>Every segment stored for the mailbox, named or not by its header.</summary>
    IAsyncEnumerable<StoredItem> ListAsync(string mailbox, CancellationToken cancellationToken);
}
