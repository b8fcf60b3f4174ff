using System.Buffers;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.IO;

/// <summary>Encodes replies: the status line, and text multi-line bodies byte-stuffed and terminated.</summary>
public static class Pop3ReplyWriter
{
    /// <summary>Writes the status line, and for a reply with <see cref="Pop3Reply.Lines"/> the lines and the terminator.</summary>
    public static void Write(Pop3Reply reply, IBufferWriter<byte> output) => throw new NotImplementedException();
}
