using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace Pop3Gateway.Frontend.Delivery;

/// <summary>
/// The dedupe key of a delivery: names the pair (Message-ID value, SHA-256 of the stored body), so
/// that only a retry of the same message matches, not another message reusing a Message-ID.
/// </summary>
public static class DedupeKeys
{
    /// <summary>128 bits of SHA-256: collisions are out of reach, and the mailbox header stays small.</summary>
    private const int KeyBytes = 16;

    /// <summary>22 characters of base64url.</summary>
    public static string Of(ReadOnlySpan<byte> messageId, ReadOnlySpan<byte> bodySha256)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[sizeof(int)];
        BinaryPrimitives.WriteInt32BigEndian(length, messageId.Length);
        hash.AppendData(length);
        hash.AppendData(messageId);
        hash.AppendData(bodySha256);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        hash.GetHashAndReset(digest);
        return Base64Url.EncodeToString(digest[..KeyBytes]);
    }
}
