using System.Buffers;

namespace Pop3Gateway.Protocol.IO;

public enum FrameStatus
{
    /// <summary>No complete line yet; read more.</summary>
    NeedMoreData,
    /// <summary>A complete line (CRLF or bare LF stripped).</summary>
    Line,
    /// <summary>A line exceeded the limit; it is reported once and its remainder is discarded up to its LF.</summary>
    TooLong,
}

/// <summary>
/// Splits the input into command lines, enforcing the length limit before anything is
/// parsed: never looks further than the limit into an unfinished line. POP3 and LMTP
/// frame their command lines with it alike.
/// </summary>
/// <remarks>
/// Call <see cref="TryReadLine"/> until it returns <see cref="FrameStatus.NeedMoreData"/>;
/// then keep the remaining <c>buffer</c> (an unfinished line of at most the limit) and read more.
/// The framer is stateful: after <see cref="FrameStatus.TooLong"/> it consumes and drops
/// the rest of that line, across as many calls as it takes.
/// </remarks>
public sealed class LineFramer(int maxLineLength)
{
    /// <summary>Smallest usable limit: one keyword character plus CRLF.</summary>
    public const int MinimumLineLength = 3;

    private const byte Cr = (byte)'\r';
    private const byte Lf = (byte)'\n';

    private bool _discarding;

    /// <summary>Longest line accepted, its CRLF (or bare LF) included.</summary>
    public int MaxLineLength { get; } = maxLineLength >= MinimumLineLength
        ? maxLineLength
        : throw new ArgumentOutOfRangeException(nameof(maxLineLength), maxLineLength, $"Must be at least {MinimumLineLength}.");

    /// <summary>Whether the remainder of an over-long line is being dropped.</summary>
    public bool IsDiscarding => _discarding;

    /// <summary>
    /// Takes the next line from <paramref name="buffer"/> (advancing it past what was consumed).
    /// </summary>
    public FrameStatus TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        line = default;
        if (_discarding && !SkipDiscardedBytes(ref buffer))
        {
            return FrameStatus.NeedMoreData;
        }

        var window = buffer.Length > MaxLineLength ? buffer.Slice(0, MaxLineLength) : buffer;
        var lf = window.PositionOf(Lf);
        if (lf is { } end)
        {
            line = StripCr(buffer.Slice(0, end));
            buffer = buffer.Slice(buffer.GetPosition(1, end));
            return FrameStatus.Line;
        }

        if (buffer.Length < MaxLineLength)
        {
            return FrameStatus.NeedMoreData;
        }

        // MaxLineLength bytes and no LF: the line cannot fit any more. Drop what was looked at.
        buffer = buffer.Slice(MaxLineLength);
        _discarding = true;
        return FrameStatus.TooLong;
    }

    /// <summary>Consumes bytes up to and including the next LF; false when the buffer ran out first.</summary>
    private bool SkipDiscardedBytes(ref ReadOnlySequence<byte> buffer)
    {
        var lf = buffer.PositionOf(Lf);
        if (lf is null)
        {
            buffer = buffer.Slice(buffer.End);
            return false;
        }

        buffer = buffer.Slice(buffer.GetPosition(1, lf.Value));
        _discarding = false;
        return true;
    }

    private static ReadOnlySequence<byte> StripCr(ReadOnlySequence<byte> line)
    {
        if (line.IsEmpty)
        {
            return line;
        }

        var last = line.Slice(line.Length - 1);
        return last.FirstSpan[0] == Cr ? line.Slice(0, line.Length - 1) : line;
    }
}
