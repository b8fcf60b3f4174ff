using System.Buffers;
using System.Text;
using Pop3Gateway.Protocol.Lmtp;

namespace Pop3Gateway.Protocol.Tests.Lmtp;

public sealed class DataDecoderTests
{
    private static (bool Done, string Output, string Remaining, bool BareLineFeed) DecodeInChunks(string input, int chunkSize)
    {
        var decoder = new DataDecoder();
        var output = new ArrayBufferWriter<byte>();
        var bytes = Encoding.Latin1.GetBytes(input);
        var pending = Array.Empty<byte>();
        for (var offset = 0; offset < bytes.Length; offset += chunkSize)
        {
            byte[] chunk = [.. pending, .. bytes.AsSpan(offset, Math.Min(chunkSize, bytes.Length - offset))];
            var buffer = new ReadOnlySequence<byte>(chunk);
            var done = decoder.Decode(ref buffer, output);
            pending = buffer.ToArray();
            if (done)
            {
                byte[] rest = [.. pending, .. bytes.AsSpan(Math.Min(offset + chunkSize, bytes.Length))];
                Assert.Equal(output.WrittenCount, decoder.Size);
                return (true, Encoding.Latin1.GetString(output.WrittenSpan), Encoding.Latin1.GetString(rest), decoder.BareLineFeed);
            }
        }
        return (false, Encoding.Latin1.GetString(output.WrittenSpan), Encoding.Latin1.GetString(pending), decoder.BareLineFeed);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(4096)]
    public void Decode_StuffedLinesAnyChunking_UnstuffsAndStopsAtEndLine(int chunkSize)
    {
        var (done, output, rest, _) = DecodeInChunks("Subject: x\r\n\r\n..leading dot\r\n.\r\nQUIT\r\n", chunkSize);

        Assert.True(done);
        Assert.Equal("Subject: x\r\n\r\n.leading dot\r\n", output);
        Assert.Equal("QUIT\r\n", rest);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4096)]
    public void Decode_BareLfDotBareLf_DoesNotEndDataAndIsFlagged(int chunkSize)
    {
        // The SMTP-smuggling pattern: LF . LF must not end the message; only CRLF . CRLF does.
        var (done, output, rest, bare) = DecodeInChunks("a\n.\nMAIL FROM:<evil@example.org>\r\n.\r\nQUIT\r\n", chunkSize);

        Assert.True(done);
        Assert.Equal("a\n.\nMAIL FROM:<evil@example.org>\r\n", output);
        Assert.Equal("QUIT\r\n", rest);
        Assert.True(bare);
    }

    [Theory]
    [InlineData("a\r\n.\nb\r\n.\r\n")]
    [InlineData("a\r\n.\r\n", false)]
    [InlineData("\n\r\n.\r\n")]
    [InlineData("a\r\r\n\n\r\n.\r\n")]
    public void Decode_LineEndings_OnlyBareLfFlagged(string input, bool bare = true)
    {
        for (var chunkSize = 1; chunkSize <= input.Length; chunkSize++)
        {
            var (done, _, _, flagged) = DecodeInChunks(input, chunkSize);
            Assert.True(done);
            Assert.Equal(bare, flagged);
        }
    }

    [Fact]
    public void Decode_CrAtChunkEnd_CrlfStillEndsTheLine()
    {
        var (done, output, _, bare) = DecodeInChunks("a\r\n..b\r\n.\r\n", 2);

        Assert.True(done);
        Assert.Equal("a\r\n.b\r\n", output);
        Assert.False(bare);
    }

    [Fact]
    public void Decode_DotInsideLine_Kept()
    {
        var (done, output, _, _) = DecodeInChunks("a.b\r\n x.\r\n.\r\n", 1);

        Assert.True(done);
        Assert.Equal("a.b\r\n x.\r\n", output);
    }

    [Fact]
    public void Decode_DotCrWithoutLf_IsStuffedContent()
    {
        var (done, output, _, _) = DecodeInChunks(".\rx\r\n.\r\n", 1);

        Assert.True(done);
        Assert.Equal("\rx\r\n", output);
    }

    [Fact]
    public void Decode_EightBitAndLongLine_PassedOnUnchangedInPieces()
    {
        var longLine = new string('\u00e9', 100_000);
        var (done, output, _, _) = DecodeInChunks($"{longLine}\r\n.\r\n", 4096);

        Assert.True(done);
        Assert.Equal(longLine + "\r\n", output);
    }

    [Fact]
    public void Decode_NoEndLine_NotDone()
    {
        var (done, output, _, _) = DecodeInChunks("a\r\n.x\r\n", 3);

        Assert.False(done);
        Assert.Equal("a\r\nx\r\n", output);
    }

    [Fact]
    public void Decode_EmptyMessage_Done()
    {
        var (done, output, _, _) = DecodeInChunks(".\r\n", 1);

        Assert.True(done);
        Assert.Equal("", output);
    }
}
