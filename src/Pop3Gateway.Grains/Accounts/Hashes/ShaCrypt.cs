using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Pop3Gateway.Grains.Accounts.Hashes;

/// <summary>
/// SHA-256-crypt (<c>$5$</c>) and SHA-512-crypt (<c>$6$</c>) as specified by Ulrich Drepper,
/// "Unix crypt using SHA-256 and SHA-512" (the glibc <c>crypt(3)</c> algorithm Dovecot's
/// SHA256-CRYPT and SHA512-CRYPT schemes write).
/// </summary>
public static class ShaCrypt
{
    /// <summary>Rounds when the hash names none (the specification's default).</summary>
    public const int DefaultRounds = 5000;

    /// <summary>The specification raises smaller round counts to this.</summary>
    public const int MinimumRounds = 1000;

    /// <summary>
    /// Larger round counts are refused at import rather than clamped: the specification allows up to
    /// 999,999,999, which would let one imported hash hold a core for minutes at every login.
    /// </summary>
    public const int MaximumRounds = 1_000_000;

    private const int MaxSaltLength = 16;
    private const string RoundsPrefix = "rounds=";
    private const string Alphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>The output byte order of SHA-256-crypt: groups of three, then the last two bytes.</summary>
    private static readonly int[] Order256 =
        [0, 10, 20, 21, 1, 11, 12, 22, 2, 3, 13, 23, 24, 4, 14, 15, 25, 5, 6, 16, 26, 27, 7, 17, 18, 28, 8, 9, 19, 29];

    /// <summary>The output byte order of SHA-512-crypt: groups of three, then the last byte.</summary>
    private static readonly int[] Order512 =
    [
        0, 21, 42, 22, 43, 1, 44, 2, 23, 3, 24, 45, 25, 46, 4, 47, 5, 26, 6, 27, 48, 28, 49, 7, 50, 8, 29, 9, 30, 51,
        31, 52, 10, 53, 11, 32, 12, 33, 54, 34, 55, 13, 56, 14, 35, 15, 36, 57, 37, 58, 16, 59, 17, 38, 18, 39, 60,
        40, 61, 19, 62, 20, 41,
    ];

    /// <summary>The parts of a <c>$5$</c> or <c>$6$</c> hash.</summary>
    public sealed record Setting(int Variant, int Rounds, bool RoundsGiven, string Salt);

    /// <summary>Reads the setting of <paramref name="hash"/> (<c>$6$[rounds=N$]salt[$hash]</c>).</summary>
    public static bool TryParseSetting(string hash, [NotNullWhen(true)] out Setting? setting, out string error)
    {
        setting = null;
        error = "";
        var variant = hash.StartsWith("$5$", StringComparison.Ordinal) ? 5 : hash.StartsWith("$6$", StringComparison.Ordinal) ? 6 : 0;
        if (variant == 0)
        {
            error = "SHA-crypt hash must start with $5$ or $6$";
            return false;
        }
        var rest = hash.AsSpan(3);
        var rounds = DefaultRounds;
        var roundsGiven = false;
        if (rest.StartsWith(RoundsPrefix, StringComparison.Ordinal))
        {
            var end = rest.IndexOf('$');
            if (end < 0 || !int.TryParse(rest[RoundsPrefix.Length..end], NumberStyles.None, CultureInfo.InvariantCulture, out rounds))
            {
                error = "SHA-crypt rounds must be rounds=NUMBER$";
                return false;
            }
            if (rounds > MaximumRounds)
            {
                error = $"SHA-crypt hash has {rounds} rounds; at most {MaximumRounds} are accepted";
                return false;
            }
            rounds = Math.Max(rounds, MinimumRounds);
            roundsGiven = true;
            rest = rest[(end + 1)..];
        }
        var saltEnd = rest.IndexOf('$');
        var salt = (saltEnd < 0 ? rest : rest[..saltEnd]).ToString();
        setting = new Setting(variant, rounds, roundsGiven, salt.Length > MaxSaltLength ? salt[..MaxSaltLength] : salt);
        return true;
    }

    /// <summary>Computes the full crypt string of <paramref name="password"/> under <paramref name="setting"/>.</summary>
    public static string Compute(string password, Setting setting)
    {
        var key = Encoding.UTF8.GetBytes(password);
        var salt = Encoding.UTF8.GetBytes(setting.Salt);
        var name = setting.Variant == 5 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA512;
        var digest = Digest(name, key, salt, setting.Rounds);
        var text = new StringBuilder($"${setting.Variant}$");
        if (setting.RoundsGiven)
        {
            text.Append(CultureInfo.InvariantCulture, $"{RoundsPrefix}{setting.Rounds}$");
        }
        text.Append(setting.Salt).Append('$');
        Encode(digest, setting.Variant == 5 ? Order256 : Order512, text);
        return text.ToString();
    }

    /// <summary>Whether <paramref name="password"/> produces <paramref name="hash"/>, compared in constant time.</summary>
    public static bool Verify(string password, string hash)
    {
        if (!TryParseSetting(hash, out var setting, out _))
        {
            return false;
        }
        var computed = Encoding.ASCII.GetBytes(Compute(password, setting));
        return CryptographicOperations.FixedTimeEquals(computed, Encoding.ASCII.GetBytes(hash));
    }

    private static byte[] Digest(HashAlgorithmName name, byte[] key, byte[] salt, int rounds)
    {
        // Steps 4-8 (digest B): key, salt, key.
        var b = Hash(name, key, salt, key);

        // Steps 1-3, 9-12 (digest A): key, salt, B repeated to the key length, then B or key per bit of the length.
        using var a = IncrementalHash.CreateHash(name);
        a.AppendData(key);
        a.AppendData(salt);
        AppendRepeated(a, b, key.Length);
        for (var length = key.Length; length > 0; length >>= 1)
        {
            a.AppendData((length & 1) != 0 ? b : key);
        }
        var result = a.GetHashAndReset();

        // Steps 13-16 (P sequence): the key hashed key-length times, repeated to the key length.
        using var dp = IncrementalHash.CreateHash(name);
        for (var i = 0; i < key.Length; i++)
        {
            dp.AppendData(key);
        }
        var p = Repeat(dp.GetHashAndReset(), key.Length);

        // Steps 17-20 (S sequence): the salt hashed 16 + A[0] times, repeated to the salt length.
        using var ds = IncrementalHash.CreateHash(name);
        for (var i = 0; i < 16 + result[0]; i++)
        {
            ds.AppendData(salt);
        }
        var s = Repeat(ds.GetHashAndReset(), salt.Length);

        // Step 21: the rounds.
        using var c = IncrementalHash.CreateHash(name);
        for (var i = 0; i < rounds; i++)
        {
            c.AppendData((i & 1) != 0 ? p : result);
            if (i % 3 != 0)
            {
                c.AppendData(s);
            }
            if (i % 7 != 0)
            {
                c.AppendData(p);
            }
            c.AppendData((i & 1) != 0 ? result : p);
            result = c.GetHashAndReset();
        }
        return result;
    }

    private static byte[] Hash(HashAlgorithmName name, params byte[][] parts)
    {
        using var hash = IncrementalHash.CreateHash(name);
        foreach (var part in parts)
        {
            hash.AppendData(part);
        }
        return hash.GetHashAndReset();
    }

    private static void AppendRepeated(IncrementalHash hash, byte[] block, int length)
    {
        for (; length > block.Length; length -= block.Length)
        {
            hash.AppendData(block);
        }
        hash.AppendData(block, 0, length);
    }

    private static byte[] Repeat(byte[] block, int length)
    {
        var result = new byte[length];
        for (var i = 0; i < length; i++)
        {
            result[i] = block[i % block.Length];
        }
        return result;
    }

    /// <summary>Step 22: three bytes at a time in the specification's order, low six bits first; the tail as the specification says.</summary>
    private static void Encode(byte[] digest, int[] order, StringBuilder text)
    {
        for (var i = 0; i + 2 < order.Length; i += 3)
        {
            Append(text, (digest[order[i]] << 16) | (digest[order[i + 1]] << 8) | digest[order[i + 2]], 4);
        }
        if (digest.Length == 32)
        {
            Append(text, (digest[31] << 8) | digest[30], 3);
        }
        else
        {
            Append(text, digest[63], 2);
        }
    }

    private static void Append(StringBuilder text, int bits, int characters)
    {
        for (var i = 0; i < characters; i++, bits >>= 6)
        {
            text.Append(Alphabet[bits & 0x3f]);
        }
    }
}
