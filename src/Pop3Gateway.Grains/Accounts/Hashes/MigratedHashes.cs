using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Pop3Gateway.Grains.Accounts.Hashes;

/// <summary>
/// Password hashes written by Dovecot (<c>doveadm pw -s SCHEME</c>), accepted by <c>account import</c>
/// as <c>{SCHEME}…</c>, verified at login and replaced by the native hash at the first success.
/// Schemes that keep the password itself or an unsalted fast digest of it (PLAIN, CLEARTEXT, MD5,
/// PLAIN-MD5, SHA…) are refused: such a file is a list of passwords, not of hashes.
/// </summary>
public static class MigratedHashes
{
    /// <summary>The schemes accepted, with the Dovecot names that mean the same thing.</summary>
    private static readonly Dictionary<string, IMigratedScheme> Schemes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["SHA512-CRYPT"] = CryptScheme.Instance,
        ["SHA256-CRYPT"] = CryptScheme.Instance,
        ["BLF-CRYPT"] = CryptScheme.Instance,
        ["CRYPT"] = CryptScheme.Instance,
        ["ARGON2I"] = Argon2Scheme.Instance,
        ["ARGON2ID"] = Argon2Scheme.Instance,
        ["SSHA256"] = SaltedShaScheme.Sha256,
        ["SSHA512"] = SaltedShaScheme.Sha512,
        ["PBKDF2"] = DovecotPbkdf2Scheme.Instance,
    };

    /// <summary>Encodings Dovecot appends to a scheme name for the binary ones (<c>{SSHA256.HEX}</c>).</summary>
    private static readonly string[] Encodings = [".B64", ".BASE64", ".HEX"];

    /// <summary>Whether <paramref name="value"/> names a Dovecot scheme at all, accepted or not.</summary>
    public static bool LooksLikeDovecot(string value) =>
        value.StartsWith('{') && value.IndexOf('}') is > 1 and var end && value[1..end].All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.');

    public static bool TryParse(string value, [NotNullWhen(true)] out PasswordHash? hash, out string error)
    {
        hash = null;
        if (!LooksLikeDovecot(value))
        {
            error = "password hash must start with {SCHEME}";
            return false;
        }
        var end = value.IndexOf('}');
        var name = value[1..end].ToUpperInvariant();
        var encoding = Encodings.FirstOrDefault(e => name.EndsWith(e, StringComparison.Ordinal));
        var scheme = encoding is null ? name : name[..^encoding.Length];
        if (!Schemes.TryGetValue(scheme, out var verifier))
        {
            error = $"password scheme {{{name}}} is not accepted; accepted are {string.Join(", ", Schemes.Keys)}";
            return false;
        }
        var payload = value[(end + 1)..];
        if (encoding is not null && verifier is not SaltedShaScheme)
        {
            error = $"password scheme {{{scheme}}} has no {encoding} form";
            return false;
        }
        if (!verifier.TryCheck(scheme, encoding, payload, out error))
        {
            error = $"{{{name}}} hash: {error}";
            return false;
        }
        hash = new PasswordHash(name, 0, [], Encoding.UTF8.GetBytes(payload));
        return true;
    }

    /// <summary>The text form of a migrated hash, as it was imported.</summary>
    public static string Format(PasswordHash hash) => $"{{{hash.Algorithm}}}{Encoding.UTF8.GetString(hash.Hash)}";

    /// <summary>Checks <paramref name="password"/> against a hash made by <see cref="TryParse"/>; false for anything else.</summary>
    public static bool Verify(string password, PasswordHash stored)
    {
        // No account has an empty password (the grain refuses one), and Argon2 cannot take one.
        if (password.Length == 0)
        {
            return false;
        }
        var encoding = Encodings.FirstOrDefault(e => stored.Algorithm.EndsWith(e, StringComparison.Ordinal));
        var scheme = encoding is null ? stored.Algorithm : stored.Algorithm[..^encoding.Length];
        return Schemes.TryGetValue(scheme, out var verifier)
            && verifier.Verify(scheme, encoding, Encoding.UTF8.GetString(stored.Hash), password);
    }
}

/// <summary>One family of migrated schemes: checks a hash text once at import, verifies a password at login.</summary>
internal interface IMigratedScheme
{
    bool TryCheck(string scheme, string? encoding, string payload, out string error);

    bool Verify(string scheme, string? encoding, string payload, string password);
}
