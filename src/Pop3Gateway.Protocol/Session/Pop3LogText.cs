using System.Buffers;
using System.Globalization;
using System.Text;

namespace Pop3Gateway.Protocol.Session;

/// <summary>
/// Text safe for logs, in one place: a raw command line with secrets redacted and bytes made printable
/// (<see cref="ForLog"/>), and any other client-supplied string with its control characters escaped (<see cref="Escape"/>).
/// </summary>
public static class Pop3LogText
{
    /// <summary>Longest line written to a log.</summary>
    public const int MaxLength = 200;

    public const string Redacted = "***";

    /// <summary>
    /// The line as printable ASCII (other bytes as <c>\xHH</c>), at most <see cref="MaxLength"/>
    /// characters, with the argument of PASS and the initial response of AUTH replaced by
    /// <see cref="Redacted"/>. A line sent during a SASL exchange (<paramref name="saslResponse"/>)
    /// is redacted whole.
    /// </summary>
    public static string ForLog(ReadOnlySequence<byte> line, bool saslResponse = false)
    {
        if (saslResponse)
        {
            return Redacted;
        }

        var length = (int)Math.Min(line.Length, MaxLength);
        Span<byte> bytes = stackalloc byte[length];
        line.Slice(0, length).CopyTo(bytes);
        if (IsKeyword(bytes, "PASS"u8))
        {
            return "PASS " + Redacted;
        }

        if (IsKeyword(bytes, "AUTH"u8) && AuthInitialResponseStart(bytes) is { } cut)
        {
            bytes = bytes[..cut];
            return Printable(bytes) + " " + Redacted;
        }

        return line.Length > MaxLength ? Printable(bytes) + "..." : Printable(bytes);
    }

    /// <summary>Where the second argument of AUTH starts (its initial response), or null when there is none.</summary>
    private static int? AuthInitialResponseStart(ReadOnlySpan<byte> line)
    {
        var rest = line[4..].TrimStart((byte)' ');
        var mechanismStart = line.Length - rest.Length;
        var space = rest.IndexOf((byte)' ');
        return space < 0 ? null : mechanismStart + space;
    }

    /// <summary>
    /// Any client-supplied string (login, SASL identity, LMTP address) made safe for a log line: control
    /// characters (C0, DEL, C1, the Unicode line and paragraph separators) become <c>\xHH</c> or <c>\uHHHH</c>,
    /// so CR or LF can never start a forged line. Null stays null.
    /// </summary>
    public static string? Escape(string? text)
    {
        if (text is null || !text.Any(NeedsEscape))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (!NeedsEscape(c))
            {
                builder.Append(c);
            }
            else if (c <= 0xFF)
            {
                builder.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static bool NeedsEscape(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';

    /// <summary>Bytes as printable ASCII: everything outside 0x20–0x7E as <c>\xHH</c>.</summary>
    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder(bytes.Length + 3);
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and <= 0x7E)
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append("\\x").Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static bool IsKeyword(ReadOnlySpan<byte> line, ReadOnlySpan<byte> keyword)
        => line.Length >= keyword.Length
            && Ascii.EqualsIgnoreCase(line[..keyword.Length], keyword)
            && (line.Length == keyword.Length || line[keyword.Length] == (byte)' ');
}
