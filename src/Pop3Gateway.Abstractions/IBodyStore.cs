namespace Pop3Gateway.Abstractions;

/// <summary>
/// A message body written to the body store: its id, its exact size after normalization and the
/// SHA-256 of those stored bytes (null from a store that does not compute it).
/// </summary>
public sealed record StoredBody(string BodyId, long Size, byte[]? Sha256 = null);

/// <summary>A body as listed by <see cref="IBodyStore.ListAsync"/>: its id and when it was written.</summary>
public sealed record BodyListing(string BodyId, DateTimeOffset Written);

/// <summary>
/// Where message bytes live. Bodies are immutable once written; the front-end reads them
/// directly, so they never pass through grain calls.
/// </summary>
public interface IBodyStore
{
    /// <summary>
    /// Reads a message from <paramref name="source"/>, normalizes line endings (bare LF and
    /// bare CR become CRLF, a final CRLF is ensured) and stores it durably under a new id.
    /// </summary>
    Task<StoredBody> WriteAsync(string mailbox, Stream source, CancellationToken cancellationToken);

    /// <summary>Opens a stored body for reading; throws <see cref="FileNotFoundException"/> if it is gone.</summary>
    Task<Stream> OpenReadAsync(string mailbox, string bodyId, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string mailbox, string bodyId, CancellationToken cancellationToken);

    /// <summary>Deletes a body; deleting one that is already gone is not an error.</summary>
    Task DeleteAsync(string mailbox, string bodyId, CancellationToken cancellationToken);

    /// <summary>Every body stored for the mailbox, in the index or not (the orphan sweep compares the two).</summary>
    IAsyncEnumerable<BodyListing> ListAsync(string mailbox, CancellationToken cancellationToken);
}

/// <summary>
/// Storage could not be reached or failed; the operation changed nothing and may be retried. Serializable, so
/// that a grain whose activation could not read its state reports this to its caller, not a codec error.
/// </summary>
[GenerateSerializer, Alias("Pop3Gateway.StorageUnavailableException")]
public sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
