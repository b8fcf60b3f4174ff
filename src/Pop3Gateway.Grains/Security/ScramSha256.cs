using System.Security.Cryptography;
using System.Text;

namespace Pop3Gateway.Grains.Security;

/// <summary>The SCRAM-SHA-256 computations (RFC 5802 section 3, RFC 7677): key derivation and proof check.</summary>
public static class ScramSha256
{
    /// <summary>
    /// Iterations for new keys. RFC 7677 asks for at least 4096; the client repeats this work on
    /// every login, so it stays well below the PBKDF2 password hash's count.
    /// </summary>
    public const int DefaultIterations = 4096 * 4;

    public const int SaltLength = 16;

    private const int KeyLength = 32;

    /// <summary>StoredKey and ServerKey for <paramref name="password"/>; the password itself is not kept.</summary>
    public static ScramCredential Derive(string password, byte[] salt, int iterations)
    {
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, KeyLength);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return new ScramCredential(salt, iterations, SHA256.HashData(clientKey), serverKey);
    }

    public static ScramCredential Derive(string password) => Derive(password, RandomNumberGenerator.GetBytes(SaltLength), DefaultIterations);

    /// <summary>
    /// Checks ClientProof against StoredKey: ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage),
    /// then H(ClientKey) must equal StoredKey. On success returns ServerSignature = HMAC(ServerKey, AuthMessage).
    /// </summary>
    public static byte[]? Verify(ScramCredential credential, string authMessage, byte[] clientProof)
    {
        var message = Encoding.UTF8.GetBytes(authMessage);
        var clientSignature = HMACSHA256.HashData(credential.StoredKey, message);
        if (clientProof.Length != clientSignature.Length)
        {
            return null;
        }

        var clientKey = new byte[clientSignature.Length];
        for (var i = 0; i < clientKey.Length; i++)
        {
            clientKey[i] = (byte)(clientProof[i] ^ clientSignature[i]);
        }

        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(clientKey), credential.StoredKey)
            ? HMACSHA256.HashData(credential.ServerKey, message)
            : null;
    }
}

/// <summary>What the server keeps for SCRAM-SHA-256: salt, iteration count, StoredKey and ServerKey (RFC 5802 section 5).</summary>
[GenerateSerializer, Immutable]
public sealed record ScramCredential(
    [property: Id(0)] byte[] Salt,
    [property: Id(1)] int Iterations,
    [property: Id(2)] byte[] StoredKey,
    [property: Id(3)] byte[] ServerKey);
