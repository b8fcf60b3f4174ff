using System.Buffers;
using System.Text;

namespace Pop3Gateway.Protocol.Session;

/// <summary>Turns a raw command line into text safe for protocol logs: secrets redacted, bytes made printable.</summary>
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

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var length = bytes.Length;

        var builder = new StringBuilder(length + 3);
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and <= 0x7E)
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append("\\x").Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static bool IsKeyword(ReadOnlySpan<byte> line, ReadOnlySpan<byte> keyword)
        => line.Length >= keyword.Length
            && Ascii.EqualsIgnoreCase(line[..keyword.Length], keyword)
            && (line.Length == keyword.Length || line[keyword.Length] == (byte)' ');
}
