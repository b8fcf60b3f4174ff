using System.Buffers;

namespace Pop3Gateway.Protocol.IO;

/// <summary>
/// Streams one message as a multi-line reply body: byte-stuffs lines that start with '.',
/// repairs bare LF, counts TOP body lines, and ends with CRLF.CRLF. Holds no more than
/// one chunk: the message is never buffered whole.
/// </summary>
/// <remarks>
/// Works with any split of the message into chunks: its state is the position within the
/// current line (start of line, bytes seen, whether the last byte was CR) and, for TOP,
/// whether the header has ended and how many body lines have been written.
/// A bare LF becomes CRLF; an existing CR is never doubled; a lone CR is passed through.
/// </remarks>
public sealed class MessageBodyWriter(int? topBodyLines)
{
    private const byte Cr = (byte)'\r';
    private const byte Lf = (byte)'\n';
    private const byte Dot = (byte)'.';

    private bool _atLineStart = true;
    private bool _lastWasCr;
    private long _bytesInLine;
    private bool _inHeader = true;
    private int _bodyLinesWritten;
    private bool _done;
    private bool _completed;

    public int? TopBodyLines { get; } = topBodyLines is null or >= 0
        ? topBodyLines
        : throw new ArgumentOutOfRangeException(nameof(topBodyLines), topBodyLines, "Must not be negative.");

    /// <summary>TOP has written everything it needs; further chunks are ignored.</summary>
    public bool IsDone => _done;

    /// <summary>Encodes a chunk of the stored message. Returns false once TOP has written all it needs.</summary>
    public bool Append(ReadOnlySpan<byte> chunk, IBufferWriter<byte> output)
    {
        if (_completed)
        {
            throw new InvalidOperationException("The message was already completed.");
        }

        while (!_done && !chunk.IsEmpty)
        {
            if (_atLineStart && chunk[0] == Dot)
            {
                output.Write([Dot]);
            }

            var lf = chunk.IndexOf(Lf);
            var run = lf < 0 ? chunk : chunk[..lf];
            if (!run.IsEmpty)
            {
                output.Write(run);
                _atLineStart = false;
                _bytesInLine += run.Length;
                _lastWasCr = run[^1] == Cr;
            }

            if (lf < 0)
            {
                break;
            }

            output.Write(_lastWasCr ? [Lf] : [Cr, Lf]);
            EndLine();
            chunk = chunk[(lf + 1)..];
        }

        return !_done;
    }

    /// <summary>Writes the terminating <c>.</c> line (after a CRLF if the last line lacked one).</summary>
    public void Complete(IBufferWriter<byte> output)
    {
        if (_completed)
        {
            throw new InvalidOperationException("The message was already completed.");
        }

        _completed = true;
        if (!_atLineStart)
        {
            output.Write(_lastWasCr ? [Lf] : [Cr, Lf]);
        }

        output.Write(".\r\n"u8);
    }

    /// <summary>A line ended: counts it for TOP.</summary>
    private void EndLine()
    {
        var empty = _bytesInLine == 0 || (_bytesInLine == 1 && _lastWasCr);
        _atLineStart = true;
        _lastWasCr = false;
        _bytesInLine = 0;
        if (TopBodyLines is not { } limit)
        {
            return;
        }

        if (_inHeader)
        {
            _inHeader = !empty;
            _done = !_inHeader && limit == 0;
            return;
        }

        _bodyLinesWritten++;
        _done = _bodyLinesWritten >= limit;
    }
}
