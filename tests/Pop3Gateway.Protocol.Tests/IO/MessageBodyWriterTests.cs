using System.Buffers;
using Pop3Gateway.Protocol.IO;
using Pop3Gateway.Protocol.Tests.Support;

namespace Pop3Gateway.Protocol.Tests.IO;

public sealed class MessageBodyWriterTests
{
    private const string Message = "Subject: test\r\nFrom: a@example.com\r\n\r\nline 1\r\n.line 2\r\nline 3\r\n";

    private static string Encode(string message, int? top, params int[] splits)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new MessageBodyWriter(top);
        var data = Bytes.Of(message);
        var bounds = splits.Where(split => split > 0 && split < data.Length).Distinct().Order().Append(data.Length).ToArray();
        var start = 0;
        foreach (var end in bounds)
        {
            if (!writer.Append(data.AsSpan(start, end - start), output))
            {
                break;
            }

            start = end;
        }

        writer.Complete(output);
        return Bytes.Text(output.WrittenSpan);
    }

    [Fact]
    public void Append_WholeMessage_StuffsDotsAndTerminates()
    {
        Assert.Equal(
            "Subject: test\r\nFrom: a@example.com\r\n\r\nline 1\r\n..line 2\r\nline 3\r\n.\r\n",
            Encode(Message, null));
    }

    [Fact]
    public void Append_EmptyMessage_OnlyTerminator()
    {
        Assert.Equal(".\r\n", Encode("", null));
    }

    [Fact]
    public void Append_LineOfOnlyADot_Doubled()
    {
        Assert.Equal("A\r\n..\r\n.\r\n", Encode("A\r\n.\r\n", null));
    }

    [Fact]
    public void Append_DotAtMessageStart_Doubled()
    {
        Assert.Equal("..x\r\n.\r\n", Encode(".x\r\n", null));
    }

    [Fact]
    public void Append_DotInsideLine_NotDoubled()
    {
        Assert.Equal("a.b\r\n.\r\n", Encode("a.b\r\n", null));
    }

    [Fact]
    public void Append_BareLf_BecomesCrLf()
    {
        Assert.Equal("a\r\nb\r\n\r\nc\r\n.\r\n", Encode("a\nb\n\nc\n", null));
    }

    [Fact]
    public void Append_CrLf_NotDoubled()
    {
        Assert.Equal("a\r\nb\r\n.\r\n", Encode("a\r\nb\r\n", null, 2));
    }

    [Fact]
    public void Append_LoneCr_PassedThrough()
    {
        Assert.Equal("a\rb\r\n.\r\n", Encode("a\rb\r\n", null));
    }

    [Fact]
    public void Complete_NoFinalLineEnd_AddsCrLf()
    {
        Assert.Equal("a\r\nb\r\n.\r\n", Encode("a\r\nb", null));
    }

    [Fact]
    public void Complete_EndsWithCr_AddsOnlyLf()
    {
        Assert.Equal("a\r\n.\r\n", Encode("a\r", null));
    }

    [Fact]
    public void Append_DotAtChunkStartNotLineStart_NotDoubled()
    {
        Assert.Equal("a.b\r\n.\r\n", Encode("a.b\r\n", null, 1));
    }

    [Fact]
    public void Append_DotAtChunkStartAndLineStart_Doubled()
    {
        Assert.Equal("a\r\n..b\r\n.\r\n", Encode("a\r\n.b\r\n", null, 3));
    }

    [Fact]
    public void Append_CrLfSplitAcrossChunks_NotDoubled()
    {
        Assert.Equal("a\r\nb\r\n.\r\n", Encode("a\r\nb\r\n", null, 2, 5));
    }

    [Fact]
    public void Append_TopZero_HeadersAndSeparatorOnly()
    {
        Assert.Equal("Subject: test\r\nFrom: a@example.com\r\n\r\n.\r\n", Encode(Message, 0));
    }

    [Fact]
    public void Append_TopTwo_TwoBodyLinesStuffed()
    {
        Assert.Equal("Subject: test\r\nFrom: a@example.com\r\n\r\nline 1\r\n..line 2\r\n.\r\n", Encode(Message, 2));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(int.MaxValue)]
    public void Append_TopAtOrBeyondEnd_WholeMessage(int lines)
    {
        Assert.Equal(Encode(Message, null), Encode(Message, lines));
    }

    [Fact]
    public void Append_TopOnMessageWithoutBody_WholeHeader()
    {
        Assert.Equal("Subject: x\r\nTo: y\r\n.\r\n", Encode("Subject: x\r\nTo: y\r\n", 0));
    }

    [Fact]
    public void Append_TopOnMessageWithoutFinalLineEnd_AddsCrLf()
    {
        Assert.Equal("S: x\r\n\r\nbody\r\n.\r\n", Encode("S: x\r\n\r\nbody", 5));
    }

    [Fact]
    public void Append_TopWithBareLfSeparator_CountsLines()
    {
        Assert.Equal("S: x\r\n\r\none\r\n.\r\n", Encode("S: x\n\none\ntwo\n", 1));
    }

    [Fact]
    public void Append_TopDone_ReturnsFalseAndIgnoresMoreChunks()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new MessageBodyWriter(0);
        Assert.False(writer.Append(Bytes.Of("H: 1\r\n\r\nbody\r\n"), output));
        Assert.True(writer.IsDone);
        Assert.False(writer.Append(Bytes.Of("more\r\n"), output));
        writer.Complete(output);
        Assert.Equal("H: 1\r\n\r\n.\r\n", Bytes.Text(output.WrittenSpan));
    }

    [Fact]
    public void Append_Retr_AlwaysReturnsTrue()
    {
        var writer = new MessageBodyWriter(null);
        Assert.True(writer.Append(Bytes.Of(Message), new ArrayBufferWriter<byte>()));
    }

    [Fact]
    public void Complete_Twice_Throws()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new MessageBodyWriter(null);
        writer.Complete(output);
        Assert.Throws<InvalidOperationException>(() => writer.Complete(output));
    }

    [Fact]
    public void Constructor_NegativeTop_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MessageBodyWriter(-1));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(50)]
    public void Append_RandomChunkSplits_SameAsOneShotReference(int? top)
    {
        const string tricky = ".first\n.\r\n\r\n..body\r\n.\n\r\nbare\rcr\r\n.\r\r\n.end\r\n\n.x";
        var random = new Random(8314);
        foreach (var message in new[] { Message, tricky, "a\nb\n\n.c\n..d\ne", "\r\n\r\n.\r\n" })
        {
            var expected = Reference(message, top);
            for (var round = 0; round < 300; round++)
            {
                var splits = Enumerable.Range(0, random.Next(0, 12)).Select(_ => random.Next(1, message.Length)).ToArray();
                Assert.Equal(expected, Encode(message, top, splits));
            }

            Assert.Equal(expected, Encode(message, top, Enumerable.Range(1, message.Length).ToArray()));
        }
    }

    /// <summary>A deliberately naive encoder over the whole message, line by line.</summary>
    private static string Reference(string message, int? top)
    {
        var lines = message.Split('\n').ToList();
        var lastTerminated = lines[^1].Length == 0;
        if (lastTerminated)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        var output = new System.Text.StringBuilder();
        var inHeader = true;
        var bodyLines = 0;
        foreach (var line in lines)
        {
            if (top is { } limit && !inHeader && bodyLines >= limit)
            {
                break;
            }

            // An unterminated last line is ended the same way: an existing CR only gets its LF.
            output.Append(line.StartsWith('.') ? "." : "").Append(line.EndsWith('\r') ? line + "\n" : line + "\r\n");
            if (inHeader)
            {
                inHeader = line is not ("" or "\r");
            }
            else
            {
                bodyLines++;
            }
        }

        return output.Append(".\r\n").ToString();
    }
}
