using System.Buffers;
using System.Security.Cryptography;

namespace Pop3Gateway.Storage.Bodies;

/// <summary>
/// The write path every body store shares: reads a message chunk by chunk, normalizes its line
/// endings (<see cref="LineEndingNormalizer"/>) and writes it to the destination the store opens.
/// The store decides what makes the body durable and visible: what it does in
/// <c>beforeClose</c>, on closing the destination, and after this returns.
/// </summary>
internal static class NormalizedBodyWriter
{
    /// <summary>Read chunk size: large enough for few calls, small enough to stay off the large object heap.</summary>
    public const int ChunkSize = 32 * 1024;

    /// <summary>
    /// Writes the normalized message and returns its size and the SHA-256 of the bytes written. An empty message is refused with an
    /// <see cref="ArgumentException"/> before <paramref name="open"/> is called, so it touches no storage.
    /// </summary>
    /// <param name="open">Opens the destination; called once the message is known not to be empty.</param>
    /// <param name="beforeClose">Runs after the last byte is written, before the destination is closed (the upload's final commit, say).</param>
    public static async Task<(long Size, byte[] Sha256)> WriteAsync(
        Stream source,
        Func<CancellationToken, Task<Stream>> open,
        Func<Stream, CancellationToken, Task> beforeClose,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var input = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var output = ArrayPool<byte>.Shared.Rent(LineEndingNormalizer.MaxOutputLength(ChunkSize));
        try
        {
            var read = await source.ReadAsync(input.AsMemory(0, ChunkSize), cancellationToken);
            if (read == 0)
            {
                throw new ArgumentException("empty message", nameof(source));
            }
            var normalizer = new LineEndingNormalizer();
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using var destination = await open(cancellationToken);
            while (read > 0)
            {
                var written = normalizer.Normalize(input.AsSpan(0, read), output);
                hash.AppendData(output, 0, written);
                await destination.WriteAsync(output.AsMemory(0, written), cancellationToken);
                read = await source.ReadAsync(input.AsMemory(0, ChunkSize), cancellationToken);
            }
            var tail = normalizer.Complete(output);
            hash.AppendData(output, 0, tail);
            await destination.WriteAsync(output.AsMemory(0, tail), cancellationToken);
            await beforeClose(destination, cancellationToken);
            return (normalizer.OutputLength, hash.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
            ArrayPool<byte>.Shared.Return(output);
        }
    }
}
