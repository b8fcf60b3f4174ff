using System.Security.Cryptography;
using System.Text;

namespace Pop3Gateway.Grains.Accounts;

/// <summary>
/// Remembers, for a short while, that a password matched an account's stored hash, so that
/// a mail client polling every minute does not pay the deliberately slow PBKDF2 each time
/// (Dovecot's auth cache does the same). What is kept is an HMAC of the password under a
/// key that lives only in this process, never the password. Failures are never cached:
/// a wrong password or an unknown account always pays the full hash.
/// </summary>
public sealed class VerifiedPasswordCache(TimeProvider time)
{
    /// <summary>How long a verified password is trusted without the slow hash; bounds how long the HMAC stays in memory.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    private static readonly byte[] ProcessKey = RandomNumberGenerator.GetBytes(32);

    private (PasswordHash Hash, byte[] Mac, DateTimeOffset Expires)? _entry;

    /// <summary>True when <paramref name="password"/> was verified against this very <paramref name="hash"/> recently.</summary>
    public bool Matches(string password, PasswordHash hash)
    {
        if (_entry is not { } entry || !ReferenceEquals(entry.Hash, hash) || time.GetUtcNow() >= entry.Expires)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(entry.Mac, Mac(password, hash));
    }

    /// <summary>Records a successful slow verification.</summary>
    public void Remember(string password, PasswordHash hash) => _entry = (hash, Mac(password, hash), time.GetUtcNow() + Lifetime);

    private static byte[] Mac(string password, PasswordHash hash)
    {
        var input = new byte[hash.Salt.Length + Encoding.UTF8.GetByteCount(password)];
        hash.Salt.CopyTo(input, 0);
        Encoding.UTF8.GetBytes(password, input.AsSpan(hash.Salt.Length));
        return HMACSHA256.HashData(ProcessKey, input);
    }
}
