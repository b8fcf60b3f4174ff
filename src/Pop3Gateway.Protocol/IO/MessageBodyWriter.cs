using System.Buffers;

namespace Pop3Gateway.Protocol.IO;

/// <summary>
/// Streams one message as a multi-line reply body: byte-stuffs lines that start with '.',
/// repairs bare LF, counts TOP body lines, and ends with CRLF.CRLF. Holds no more than
/// one chunk: the message is never buffered whole.
/// </summary>
public sealed class MessageBodyWriter(int? topBodyLines)
{
    public int? TopBodyLines { get; } = topBodyLines;

    /// <summary>Encodes a chunk of the stored message. Returns false once TOP has written all it needs.</summary>
    public bool Append(ReadOnlySpan<byte> chunk, IBufferWriter<byte> output) => throw new NotImplementedException();

    /// <summary>Writes the terminating <c>.</c> line (after a CRLF if the last line lacked one).</summary>
    public void Complete(IBufferWriter<byte> output) => throw new NotImplementedException();
}
