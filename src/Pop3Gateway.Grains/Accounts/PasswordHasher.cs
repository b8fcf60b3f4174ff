using System.Security.Cryptography;
using System.Text;
using Pop3Gateway.Grains.Accounts.Hashes;

namespace Pop3Gateway.Grains.Accounts;

/// <summary>PBKDF2-SHA256 with a random per-account salt; verification in constant time.</summary>
public static class PasswordHasher
{
    public const string Algorithm = "PBKDF2-SHA256";

    /// <summary>Iterations for new hashes: above the 100,000 floor, about 50 ms on one core.</summary>
    public const int DefaultIterations = 210_000;

    /// <summary>Hashes weaker than this are refused rather than verified.</summary>
    public const int MinimumIterations = 100_000;

    private const int SaltLength = 16;
    private const int HashLength = 32;

    /// <summary>
    /// Verified for unknown accounts so that a missing account costs as much time as a wrong password.
    /// Its salt is fixed and no password is known to match it.
    /// </summary>
    private static readonly PasswordHash Dummy = new(
        Algorithm,
        DefaultIterations,
        Enumerable.Range(1, SaltLength).Select(i => (byte)i).ToArray(),
        new byte[HashLength]);

    public static PasswordHash Hash(string password) =>
        Hash(password, RandomNumberGenerator.GetBytes(SaltLength), DefaultIterations);

    /// <summary>Whether <paramref name="stored"/> is this hasher's own kind, not one migrated from elsewhere.</summary>
    public static bool IsNative(PasswordHash stored) => stored.Algorithm == Algorithm;

    public static bool Verify(string password, PasswordHash stored)
    {
        if (!IsNative(stored))
        {
            return MigratedHashes.Verify(password, stored);
        }
        if (stored.Iterations < MinimumIterations || stored.Hash.Length != HashLength)
        {
            return false;
        }
        var candidate = Derive(password, stored.Salt, stored.Iterations);
        return CryptographicOperations.FixedTimeEquals(candidate, stored.Hash);
    }

    /// <summary>Spends the time of one verification and fails: for unknown accounts.</summary>
    public static bool VerifyNothing(string password)
    {
        _ = Verify(password, Dummy);
        return false;
    }

    private static PasswordHash Hash(string password, byte[] salt, int iterations) =>
        new(Algorithm, iterations, salt, Derive(password, salt, iterations));

    private static byte[] Derive(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashLength);
}
