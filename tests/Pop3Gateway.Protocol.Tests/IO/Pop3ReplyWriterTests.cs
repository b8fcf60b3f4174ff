using System.Buffers;
using Pop3Gateway.Protocol.IO;
using Pop3Gateway.Protocol.Session;
using Pop3Gateway.Protocol.Tests.Support;

namespace Pop3Gateway.Protocol.Tests.IO;

public sealed class Pop3ReplyWriterTests
{
    private static string Write(Pop3Reply reply)
    {
        var output = new ArrayBufferWriter<byte>();
        Pop3ReplyWriter.Write(reply, output);
        return Bytes.Text(output.WrittenSpan);
    }

    [Fact]
    public void Write_Ok_StatusLine()
    {
        Assert.Equal("+OK 2 320\r\n", Write(Pop3Replies.Ok("2 320")));
    }

    [Fact]
    public void Write_Err_StatusLine()
    {
        Assert.Equal("-ERR No such message.\r\n", Write(Pop3Replies.NoSuchMessage));
    }

    [Fact]
    public void Write_EmptyText_NoTrailingSpace()
    {
        Assert.Equal("+OK\r\n", Write(Pop3Replies.Ok()));
    }

    [Fact]
    public void Write_Lines_StuffedAndTerminated()
    {
        var reply = Pop3Replies.Ok("follows") with { Lines = ["1 abc", ".hidden", "..", ""] };
        Assert.Equal("+OK follows\r\n1 abc\r\n..hidden\r\n...\r\n\r\n.\r\n", Write(reply));
    }

    [Fact]
    public void Write_EmptyLines_OnlyTerminator()
    {
        Assert.Equal("+OK 0 messages (0 octets)\r\n.\r\n", Write(Pop3Replies.ListFollows(0, 0) with { Lines = [] }));
    }

    [Fact]
    public void Write_LongText_StatusLineCutTo512Octets()
    {
        var written = Write(Pop3Replies.Err(new string('e', 2000)));
        Assert.Equal(Pop3ReplyWriter.MaxStatusLineLength, written.Length);
        Assert.EndsWith("e\r\n", written);
    }

    [Fact]
    public void Write_LongMultiByteText_CutAtCharacterBoundary()
    {
        var output = new ArrayBufferWriter<byte>();
        Pop3ReplyWriter.Write(Pop3Replies.Err(new string('\u00e9', 400)), output);
        var bytes = output.WrittenSpan;
        Assert.True(bytes.Length <= Pop3ReplyWriter.MaxStatusLineLength);
        Assert.True(System.Text.Unicode.Utf8.IsValid(bytes));
        Assert.True(bytes.EndsWith("\r\n"u8));
    }

    [Fact]
    public void Write_MessageReply_OnlyStatusLine()
    {
        var message = new Pop3Gateway.Protocol.Backend.MessageContent(5, _ => throw new InvalidOperationException("Must not be opened."));
        Assert.Equal("+OK 5 octets\r\n", Write(Pop3Replies.MessageFollows(5) with { Message = message }));
    }
}
