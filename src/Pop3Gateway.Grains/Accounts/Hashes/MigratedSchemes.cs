using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Konscious.Security.Cryptography;

namespace Pop3Gateway.Grains.Accounts.Hashes;

/// <summary>crypt(3) hashes: SHA512-CRYPT (<c>$6$</c>), SHA256-CRYPT (<c>$5$</c>), BLF-CRYPT (<c>$2y$</c>, bcrypt), and CRYPT naming any of them.</summary>
internal sealed class CryptScheme : IMigratedScheme
{
    public static readonly CryptScheme Instance = new();

    /// <summary>bcrypt costs above this are refused: 2^17 rounds take seconds per login.</summary>
    private const int MaximumBcryptCost = 16;

    public bool TryCheck(string scheme, string? encoding, string payload, out string error)
    {
        var prefix = Prefix(payload);
        var expected = scheme switch
        {
            "SHA512-CRYPT" => "$6$",
            "SHA256-CRYPT" => "$5$",
            "BLF-CRYPT" => "$2",
            _ => prefix,
        };
        if (prefix is null || prefix != expected)
        {
            error = $"expected a {expected ?? "$5$, $6$ or $2y$"} crypt string";
            return false;
        }
        if (prefix != "$2")
        {
            return ShaCrypt.TryParseSetting(payload, out _, out error);
        }
        // $2a$, $2b$ or $2y$, two cost digits, 22 characters of salt and 31 of hash.
        if (payload.Length != 60 || payload[2] is not ('a' or 'b' or 'y') || payload[3] != '$'
            || !int.TryParse(payload.AsSpan(4, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var cost) || payload[6] != '$')
        {
            error = "expected $2y$COST$ followed by 53 characters";
            return false;
        }
        error = cost is >= 4 and <= MaximumBcryptCost ? "" : $"bcrypt cost {cost} is outside 4..{MaximumBcryptCost}";
        return error.Length == 0;
    }

    public bool Verify(string scheme, string? encoding, string payload, string password) =>
        Prefix(payload) switch
        {
            "$5$" or "$6$" => ShaCrypt.Verify(password, payload),
            "$2" => BCrypt.Net.BCrypt.Verify(password, payload),
            _ => false,
        };

    private static string? Prefix(string payload) =>
        payload.StartsWith("$5$", StringComparison.Ordinal) ? "$5$"
        : payload.StartsWith("$6$", StringComparison.Ordinal) ? "$6$"
        : payload.StartsWith("$2", StringComparison.Ordinal) ? "$2"
        : null;
}

/// <summary>ARGON2I and ARGON2ID in the PHC string form libsodium writes: <c>$argon2id$v=19$m=KIB,t=PASSES,p=LANES$SALT$HASH</c>.</summary>
internal sealed class Argon2Scheme : IMigratedScheme
{
    public static readonly Argon2Scheme Instance = new();

    /// <summary>Memory above this (in KiB, 256 MiB) is refused: one login must not take a silo's memory.</summary>
    private const int MaximumMemory = 256 * 1024;

    private const int MaximumPasses = 16;

    private const int MaximumLanes = 16;

    private sealed record Parameters(bool Id, int Memory, int Passes, int Lanes, byte[] Salt, byte[] Hash);

    public bool TryCheck(string scheme, string? encoding, string payload, out string error)
    {
        error = "";
        if (Parse(payload) is not { } parameters || parameters.Id != (scheme == "ARGON2ID"))
        {
            error = $"expected ${scheme.ToLowerInvariant()}$v=19$m=KIB,t=PASSES,p=LANES$SALT$HASH";
        }
        else if (parameters.Memory > MaximumMemory || parameters.Passes > MaximumPasses || parameters.Lanes > MaximumLanes)
        {
            error = $"parameters above m={MaximumMemory},t={MaximumPasses},p={MaximumLanes} are refused";
        }
        return error.Length == 0;
    }

    public bool Verify(string scheme, string? encoding, string payload, string password)
    {
        if (Parse(payload) is not { } parameters)
        {
            return false;
        }
        var bytes = Encoding.UTF8.GetBytes(password);
        using Argon2 argon2 = parameters.Id ? new Argon2id(bytes) : new Argon2i(bytes);
        argon2.Salt = parameters.Salt;
        argon2.MemorySize = parameters.Memory;
        argon2.Iterations = parameters.Passes;
        argon2.DegreeOfParallelism = parameters.Lanes;
        return CryptographicOperations.FixedTimeEquals(argon2.GetBytes(parameters.Hash.Length), parameters.Hash);
    }

    private static Parameters? Parse(string payload)
    {
        // "", "argon2id", "v=19", "m=65536,t=3,p=1", salt, hash
        var parts = payload.Split('$');
        if (parts is not ["", "argon2i" or "argon2id", "v=19", var cost, var salt, var hash])
        {
            return null;
        }
        var costs = cost.Split(',');
        if (costs is not [['m', '=', .. var m], ['t', '=', .. var t], ['p', '=', .. var p]]
            || !TryNumber(m, out var memory) || !TryNumber(t, out var passes) || !TryNumber(p, out var lanes)
            || passes < 1 || lanes < 1 || memory < 8 * lanes
            || Base64NoPadding(salt) is not { Length: >= 8 } saltBytes || Base64NoPadding(hash) is not { Length: >= 16 and <= 64 } hashBytes)
        {
            return null;
        }
        return new Parameters(parts[1] == "argon2id", memory, passes, lanes, saltBytes, hashBytes);
    }

    private static bool TryNumber(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static byte[]? Base64NoPadding(string text)
    {
        try
        {
            return Convert.FromBase64String(text.PadRight(text.Length + (4 - text.Length % 4) % 4, '='));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>SSHA256 and SSHA512: the digest of password and salt, followed by the salt; Base64 (default) or hex (<c>.HEX</c>).</summary>
internal sealed class SaltedShaScheme(HashAlgorithmName algorithm, int digestLength) : IMigratedScheme
{
    public static readonly SaltedShaScheme Sha256 = new(HashAlgorithmName.SHA256, 32);

    public static readonly SaltedShaScheme Sha512 = new(HashAlgorithmName.SHA512, 64);

    /// <summary>Dovecot writes 4 bytes of salt; fewer than that is no salt at all.</summary>
    private const int MinimumSaltLength = 4;

    public bool TryCheck(string scheme, string? encoding, string payload, out string error)
    {
        error = Decode(encoding, payload) is { } bytes && bytes.Length >= digestLength + MinimumSaltLength
            ? ""
            : $"expected {(encoding == ".HEX" ? "hex" : "Base64")} of a {digestLength}-byte digest and a salt of at least {MinimumSaltLength} bytes";
        return error.Length == 0;
    }

    public bool Verify(string scheme, string? encoding, string payload, string password)
    {
        if (Decode(encoding, payload) is not { } bytes || bytes.Length < digestLength + MinimumSaltLength)
        {
            return false;
        }
        using var hash = IncrementalHash.CreateHash(algorithm);
        hash.AppendData(Encoding.UTF8.GetBytes(password));
        hash.AppendData(bytes, digestLength, bytes.Length - digestLength);
        return CryptographicOperations.FixedTimeEquals(hash.GetHashAndReset(), bytes.AsSpan(0, digestLength));
    }

    private static byte[]? Decode(string? encoding, string payload)
    {
        try
        {
            return encoding == ".HEX" ? Convert.FromHexString(payload) : Convert.FromBase64String(payload);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>Dovecot's PBKDF2 scheme: <c>$1$SALT$ROUNDS$HEX</c>, PBKDF2-HMAC-SHA1 over the salt text, 20 bytes.</summary>
internal sealed class DovecotPbkdf2Scheme : IMigratedScheme
{
    public static readonly DovecotPbkdf2Scheme Instance = new();

    /// <summary>Rounds above this are refused: a login must not hold a core for seconds.</summary>
    private const int MaximumRounds = 1_000_000;

    private const int DigestLength = 20;

    public bool TryCheck(string scheme, string? encoding, string payload, out string error)
    {
        error = Parse(payload) is { } parsed
            ? parsed.Rounds <= MaximumRounds ? "" : $"{parsed.Rounds} rounds; at most {MaximumRounds} are accepted"
            : "expected $1$SALT$ROUNDS$HEX with a 20-byte hex digest";
        return error.Length == 0;
    }

    public bool Verify(string scheme, string? encoding, string payload, string password)
    {
        if (Parse(payload) is not { } parsed || parsed.Rounds > MaximumRounds)
        {
            return false;
        }
        var derived = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(parsed.Salt), parsed.Rounds,
            HashAlgorithmName.SHA1, DigestLength);
        return CryptographicOperations.FixedTimeEquals(derived, parsed.Digest);
    }

    private static (string Salt, int Rounds, byte[] Digest)? Parse(string payload)
    {
        var parts = payload.Split('$');
        if (parts is not ["", "1", { Length: > 0 } salt, var roundsText, { Length: DigestLength * 2 } hex]
            || !int.TryParse(roundsText, NumberStyles.None, CultureInfo.InvariantCulture, out var rounds) || rounds < 1)
        {
            return null;
        }
        try
        {
            return (salt, rounds, Convert.FromHexString(hex));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
