using System.Diagnostics.CodeAnalysis;
using Pop3Gateway.Grains.Accounts.Hashes;

namespace Pop3Gateway.Grains.Accounts;

/// <summary>
/// The text form of a stored password hash, for importing accounts without hashing them again:
/// <c>{PBKDF2-SHA256}ITERATIONS$SALT$HASH</c> with SALT and HASH in standard Base64
/// (HASH: 32 bytes; ITERATIONS at least <see cref="PasswordHasher.MinimumIterations"/>), or a hash
/// migrated from Dovecot (see <see cref="MigratedHashes"/>).
/// </summary>
public static class PasswordHashText
{
    public const string Prefix = "{" + PasswordHasher.Algorithm + "}";

    /// <summary>Salt shorter than this is refused (NIST SP 800-132 asks for at least 128 bits).</summary>
    private const int MinimumSaltLength = 16;

    private const int HashLength = 32;

    public static bool IsHashText(string value) =>
        value.StartsWith(Prefix, StringComparison.Ordinal) || MigratedHashes.LooksLikeDovecot(value);

    public static string Format(PasswordHash hash) => hash.Algorithm == PasswordHasher.Algorithm
        ? $"{Prefix}{hash.Iterations}${Convert.ToBase64String(hash.Salt)}${Convert.ToBase64String(hash.Hash)}"
        : MigratedHashes.Format(hash);

    public static bool TryParse(string value, [NotNullWhen(true)] out PasswordHash? hash, out string error)
    {
        hash = null;
        if (!value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return MigratedHashes.TryParse(value, out hash, out error);
        }
        var parts = value[Prefix.Length..].Split('$');
        if (parts.Length != 3 || !int.TryParse(parts[0], System.Globalization.NumberStyles.None, null, out var iterations))
        {
            error = $"password hash must be {Prefix}ITERATIONS$SALT$HASH";
            return false;
        }
        if (iterations < PasswordHasher.MinimumIterations)
        {
            error = $"password hash has {iterations} iterations; at least {PasswordHasher.MinimumIterations} are required";
            return false;
        }
        byte[] salt, derived;
        try
        {
            salt = Convert.FromBase64String(parts[1]);
            derived = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException)
        {
            error = "password hash salt and hash must be Base64";
            return false;
        }
        if (salt.Length < MinimumSaltLength || derived.Length != HashLength)
        {
            error = $"password hash needs a salt of at least {MinimumSaltLength} bytes and a hash of {HashLength} bytes";
            return false;
        }
        hash = new PasswordHash(PasswordHasher.Algorithm, iterations, salt, derived);
        error = "";
        return true;
    }
}
