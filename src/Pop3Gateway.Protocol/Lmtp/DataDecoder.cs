using System.Buffers;

namespace Pop3Gateway.Protocol.Lmtp;

/// <summary>
/// Streams the DATA section: removes dot-stuffing (RFC 5321 §4.5.2), finds the terminating
/// <c>CRLF.CRLF</c>, and passes every other byte on unchanged. Only CRLF ends a line: a bare LF
/// neither starts a line nor can end the message (<c>LF.LF</c> is content, the SMTP-smuggling
/// pattern), and it sets <see cref="BareLineFeed"/> so the host refuses the message, as Postfix's
/// <c>smtpd_forbid_bare_newline = reject</c> does. Never holds a line: a long line is passed on in
/// pieces, so memory stays bounded by the input buffer. Counts the octets it passed on.
/// </summary>
public sealed class DataDecoder
{
    private const byte Cr = (byte)'\r';
    private const byte Lf = (byte)'\n';
    private const byte Dot = (byte)'.';

    private bool _atLineStart = true;
    private bool _afterCr;

    /// <summary>Octets of message content passed on so far (after unstuffing).</summary>
    public long Size { get; private set; }

    /// <summary>Whether a line of the message ended in LF without CR before it.</summary>
    public bool BareLineFeed { get; private set; }

    /// <summary>
    /// Consumes what it can of <paramref name="buffer"/> and writes the content to <paramref name="output"/>.
    /// Returns true when the terminating line was consumed; bytes after it stay in the buffer.
    /// </summary>
    public bool Decode(ref ReadOnlySequence<byte> buffer, IBufferWriter<byte> output)
    {
        while (!buffer.IsEmpty)
        {
            if (_atLineStart)
            {
                var reader = new SequenceReader<byte>(buffer);
                reader.TryPeek(out var first);
                if (first == Dot)
                {
                    if (!reader.TryPeek(1, out var second) || (second == Cr && !reader.TryPeek(2, out _)))
                    {
                        return false; // ".", ".\r": cannot tell the end line from a stuffed one yet
                    }
                    if (second == Cr && reader.TryPeek(2, out var third) && third == Lf)
                    {
                        buffer = buffer.Slice(3);
                        return true;
                    }
                    buffer = buffer.Slice(1); // a stuffed dot: drop it, keep the rest of the line
                }
                _atLineStart = false;
                continue;
            }

            var lf = buffer.PositionOf(Lf);
            var chunk = lf is { } end ? buffer.Slice(0, buffer.GetPosition(1, end)) : buffer;
            foreach (var segment in chunk)
            {
                output.Write(segment.Span);
            }
            Size += chunk.Length;
            if (lf is not null)
            {
                var crBefore = chunk.Length >= 2 ? chunk.Slice(chunk.Length - 2, 1).FirstSpan[0] == Cr : _afterCr;
                _atLineStart = crBefore;
                BareLineFeed |= !crBefore;
                _afterCr = false;
            }
            else
            {
                _afterCr = chunk.Slice(chunk.Length - 1).FirstSpan[0] == Cr;
            }
            buffer = buffer.Slice(chunk.End);
        }
        return false;
    }
}
