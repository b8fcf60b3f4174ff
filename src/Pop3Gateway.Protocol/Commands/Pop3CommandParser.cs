using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Unicode;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.Commands;

/// <summary>
/// Parses one command line (already framed: no CRLF, at most the line limit long).
/// Keywords are case-insensitive; arguments are separated by spaces (repeated spaces
/// are tolerated); control bytes are rejected; arguments must be UTF-8.
/// </summary>
public static class Pop3CommandParser
{
    /// <summary>Lines up to this size are copied to the stack when they span several segments.</summary>
    private const int StackCopyLimit = 1024;

    private const byte Space = (byte)' ';

    public static bool TryParse(
        ReadOnlySequence<byte> line,
        [NotNullWhen(true)] out Pop3Command? command,
        [NotNullWhen(false)] out string? error)
    {
        if (line.IsSingleSegment)
        {
            return TryParse(line.FirstSpan, out command, out error);
        }

        var length = checked((int)line.Length);
        byte[]? rented = null;
        var copy = length <= StackCopyLimit ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length)).AsSpan(0, length);
        try
        {
            line.CopyTo(copy);
            return TryParse(copy, out command, out error);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public static bool TryParse(
        ReadOnlySpan<byte> line,
        [NotNullWhen(true)] out Pop3Command? command,
        [NotNullWhen(false)] out string? error)
    {
        command = null;
        error = CheckBytes(line);
        if (error is not null)
        {
            return false;
        }

        var space = line.IndexOf(Space);
        var keyword = space < 0 ? line : line[..space];
        if (keyword.ContainsAnyInRange((byte)0x80, (byte)0xFF))
        {
            error = Pop3Replies.EightBitCommandName;
            return false;
        }

        var rest = space < 0 ? [] : line[(space + 1)..];
        if (!Utf8.IsValid(rest))
        {
            error = Pop3Replies.InvalidUtf8;
            return false;
        }

        var argumentText = rest.IsEmpty ? string.Empty : Encoding.UTF8.GetString(rest);
        IReadOnlyList<string> arguments = argumentText.Length == 0
            ? []
            : argumentText.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        command = new Pop3Command(UpperAscii(keyword), arguments, argumentText);
        return true;
    }

    /// <summary>Checks what may appear anywhere in a line; null when the line is acceptable.</summary>
    private static string? CheckBytes(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty)
        {
            return Pop3Replies.EmptyCommand;
        }

        if (line.Contains((byte)0))
        {
            return Pop3Replies.NulByte;
        }

        if (line.ContainsAnyInRange((byte)0x01, (byte)0x1F) || line.Contains((byte)0x7F))
        {
            return Pop3Replies.BinaryData;
        }

        return line[0] == Space ? Pop3Replies.LeadingSpace : null;
    }

    private static string UpperAscii(ReadOnlySpan<byte> keyword)
    {
        Span<char> chars = stackalloc char[keyword.Length];
        for (var i = 0; i < keyword.Length; i++)
        {
            var c = (char)keyword[i];
            chars[i] = c is >= 'a' and <= 'z' ? (char)(c - ('a' - 'A')) : c;
        }

        return new string(chars);
    }
}
