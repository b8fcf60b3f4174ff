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
    /// characters, with the argument of PASS replaced by <see cref="Redacted"/>.
    /// </summary>
    public static string ForLog(ReadOnlySequence<byte> line)
    {
        var length = (int)Math.Min(line.Length, MaxLength);
        Span<byte> bytes = stackalloc byte[length];
        line.Slice(0, length).CopyTo(bytes);
        if (IsPass(bytes))
        {
            return "PASS " + Redacted;
        }

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

        return line.Length > MaxLength ? builder.Append("...").ToString() : builder.ToString();
    }

    private static bool IsPass(ReadOnlySpan<byte> line)
        => line.Length >= 4
            && Ascii.EqualsIgnoreCase(line[..4], "PASS"u8)
            && (line.Length == 4 || line[4] == (byte)' ');
}
