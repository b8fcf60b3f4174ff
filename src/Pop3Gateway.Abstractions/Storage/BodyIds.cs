using System.Security.Cryptography;

namespace Pop3Gateway.Abstractions.Storage;

/// <summary>
/// Body ids: 26 characters of Crockford base32 encoding a 48-bit Unix time in milliseconds
/// followed by 80 random bits, so ids are unique forever and sort by delivery time. They are
/// valid UIDLs (RFC 1939: 1–70 characters of 0x21–0x7E) and safe as file and blob names.
/// </summary>
public static class BodyIds
{
    /// <summary>Length of a generated id.</summary>
    public const int Length = 26;

    /// <summary>Longest id any body store may use: the UIDL limit of RFC 1939.</summary>
    public const int MaxLength = 70;

    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const int RandomBytes = 10;

    public static string NewId(TimeProvider timeProvider)
    {
        var milliseconds = (ulong)timeProvider.GetUtcNow().ToUnixTimeMilliseconds() & 0xFFFF_FFFF_FFFFUL;
        Span<byte> random = stackalloc byte[RandomBytes];
        RandomNumberGenerator.Fill(random);

        return string.Create(Length, (milliseconds, random.ToArray()), static (chars, input) =>
        {
            var (time, bytes) = input;
            // 10 characters carry the 48-bit time (the top 2 bits of the 50 are zero).
            for (var i = 9; i >= 0; i--)
            {
                chars[i] = Alphabet[(int)(time & 31)];
                time >>= 5;
            }
            // 16 characters carry the 80 random bits, 5 bits at a time.
            var bitBuffer = 0UL;
            var bits = 0;
            var next = 10;
            foreach (var b in bytes)
            {
                bitBuffer = (bitBuffer << 8) | b;
                bits += 8;
                while (bits >= 5)
                {
                    bits -= 5;
                    chars[next++] = Alphabet[(int)((bitBuffer >> bits) & 31)];
                }
            }
        });
    }

    /// <summary>
    /// The time a generated id carries (when its body was written, to the millisecond); false for an id
    /// not made by <see cref="NewId"/>.
    /// </summary>
    public static bool TryGetTime(string? id, out DateTimeOffset time)
    {
        time = default;
        if (id is not { Length: Length })
        {
            return false;
        }
        var milliseconds = 0L;
        for (var i = 0; i < Length; i++)
        {
            var value = Alphabet.IndexOf(id[i], StringComparison.Ordinal);
            if (value < 0)
            {
                return false;
            }
            if (i < 10)
            {
                milliseconds = (milliseconds << 5) | (long)value;
            }
        }
        if (milliseconds > 0xFFFF_FFFF_FFFFL || milliseconds > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return false;
        }
        time = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
        return true;
    }

    /// <summary>
    /// True when <paramref name="id"/> can name a body: 1–70 characters of ASCII letters,
    /// digits, '-', '_' and '.', not starting with '.' (so never a hidden, temp or parent path).
    /// </summary>
    public static bool IsWellFormed(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength || id[0] == '.')
        {
            return false;
        }
        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return false;
            }
        }
        return true;
    }
}
