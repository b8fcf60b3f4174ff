using System.Buffers;

namespace Pop3Gateway.Protocol.Lmtp;

/// <summary>
/// Streams the DATA section: removes dot-stuffing (RFC 5321 §4.5.2), finds the terminating
/// <c>.CRLF</c> line (a bare LF is accepted in place of CRLF), and passes every other byte on
/// unchanged. Never holds a line: a long line is passed on in pieces, so memory stays bounded
/// by the input buffer however long lines or messages are. Counts the octets it passed on.
/// </summary>
public sealed class DataDecoder
{
    private const byte Cr = (byte)'\r';
    private const byte Lf = (byte)'\n';
    private const byte Dot = (byte)'.';

    private bool _atLineStart = true;

    /// <summary>Octets of message content passed on so far (after unstuffing).</summary>
    public long Size { get; private set; }

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
                    if (second == Lf)
                    {
                        buffer = buffer.Slice(2);
                        return true;
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
            buffer = buffer.Slice(chunk.End);
            _atLineStart = lf is not null;
        }
        return false;
    }
}
