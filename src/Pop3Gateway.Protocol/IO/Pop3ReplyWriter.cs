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
            WriteLine(line, output);
        }

        output.Write(Terminator);
    }

    /// <summary>
    /// Writes a reply, one with <see cref="Pop3Reply.StreamedLines"/> too: the status line, each line as it comes, and the
    /// terminator; calls <paramref name="flushAsync"/> whenever <paramref name="flushBytes"/> or more are written
    /// since the last, so the reply never waits whole in memory. Returns false when <paramref name="flushAsync"/>
    /// does (the connection is gone). An exception from the lines leaves the reply cut: the caller must end the
    /// connection, since a multi-line reply once started cannot become an error.
    /// </summary>
    public static async Task<bool> WriteStreamedAsync(
        Pop3Reply reply, IBufferWriter<byte> output, Func<ValueTask<bool>> flushAsync, int flushBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(flushAsync);
        if (reply.StreamedLines is not { } lines)
        {
            Write(reply, output);
            return true;
        }

        WriteStatusLine(reply, output);

        var unflushed = 0L;
        await foreach (var line in lines.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            unflushed += WriteLine(line, output);
            if (unflushed >= flushBytes)
            {
                unflushed = 0;
                if (!await flushAsync().ConfigureAwait(false))
                {
                    return false;
                }
            }
        }

        output.Write(Terminator);
        return true;
    }

    /// <summary>One line of a multi-line reply, byte-stuffed (RFC 1939 section 3); returns the bytes written.</summary>
    private static int WriteLine(string line, IBufferWriter<byte> output)
    {
        var stuffed = line.StartsWith('.');
        if (stuffed)
        {
            output.Write("."u8);
        }

        var length = WriteUtf8(line, int.MaxValue, output);
        output.Write(CrLf);
        return length + CrLf.Length + (stuffed ? 1 : 0);
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

    /// <summary>Writes <paramref name="text"/> as UTF-8, cut at a character boundary to at most <paramref name="maxBytes"/>; returns the bytes written.</summary>
    private static int WriteUtf8(string text, int maxBytes, IBufferWriter<byte> output)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        if (length <= maxBytes)
        {
            var span = output.GetSpan(length);
            var encoded = Encoding.UTF8.GetBytes(text, span);
            output.Advance(encoded);
            return encoded;
        }

        var target = output.GetSpan(maxBytes)[..maxBytes];
        Encoding.UTF8.GetEncoder().Convert(text, target, flush: true, out _, out var written, out _);
        output.Advance(written);
        return written;
    }
}
