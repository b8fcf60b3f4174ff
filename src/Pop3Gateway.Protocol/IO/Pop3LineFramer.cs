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
/// parsed: never looks further than the limit into an unfinished line.
/// </summary>
public sealed class Pop3LineFramer(int maxLineLength)
{
    public int MaxLineLength { get; } = maxLineLength;

    /// <summary>
    /// Takes the next line from <paramref name="buffer"/> (advancing it past what was consumed).
    /// </summary>
    public FrameStatus TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
        => throw new NotImplementedException();
}
