using System.Buffers;
using System.Text;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.IO;

/// <summary>Encodes replies: the status line, and text multi-line bodies byte-stuffed and terminated.</summary>
public static class Pop3ReplyWriter
{
    /// <summary>RFC 2449 section 4: a status line is at most 512 octets, CRLF included.</summary>
    public const int MaxStatusLineLength = 512;

    private static ReadOnlySpan<byte> OkPrefix => "+OK"u8;
    private static ReadOnlySpan<byte> ErrPrefix => "-ERR"u8;
    private static ReadOnlySpan<byte> ContinuationPrefix => "+"u8;
    private static ReadOnlySpan<byte> CrLf => "\r\n"u8;
    private static ReadOnlySpan<byte> Terminator => ".\r\n"u8;

    /// <summary>Writes the status line, and for a reply with <see cref="Pop3Reply.Lines"/> the lines and the terminator.</summary>
    /// <remarks>A <see cref="Pop3Reply.Message"/> is not written here: stream it with a <see cref="MessageBodyWriter"/>.</remarks>
    public static void Write(Pop3Reply reply, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(reply);
        WriteStatusLine(reply, output);
        if (reply.Lines is null)
        {
            return;
        }

        foreach (var line in reply.Lines)
        {
            if (line.StartsWith('.'))
            {
                output.Write("."u8);
            }

            WriteUtf8(line, int.MaxValue, output);
            output.Write(CrLf);
        }

        output.Write(Terminator);
    }

    private static void WriteStatusLine(Pop3Reply reply, IBufferWriter<byte> output)
    {
        var prefix = reply.IsContinuation ? ContinuationPrefix : reply.IsOk ? OkPrefix : ErrPrefix;
        output.Write(prefix);
        if (reply.IsContinuation)
        {
            // RFC 5034 section 4: "+" SP base64, even when the challenge is empty.
            output.Write(" "u8);
            WriteUtf8(reply.Text, int.MaxValue, output);
        }
        else if (reply.Text.Length > 0)
        {
            output.Write(" "u8);
            WriteUtf8(reply.Text, MaxStatusLineLength - prefix.Length - 1 - CrLf.Length, output);
        }

        output.Write(CrLf);
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8, cut at a character boundary to at most <paramref name="maxBytes"/>.</summary>
    private static void WriteUtf8(string text, int maxBytes, IBufferWriter<byte> output)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        if (length <= maxBytes)
        {
            var span = output.GetSpan(length);
            output.Advance(Encoding.UTF8.GetBytes(text, span));
            return;
        }

        var target = output.GetSpan(maxBytes)[..maxBytes];
        Encoding.UTF8.GetEncoder().Convert(text, target, flush: true, out _, out var written, out _);
        output.Advance(written);
    }
}
