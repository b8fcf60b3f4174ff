using System.Buffers;
using Pop3Gateway.Protocol.IO;
using Pop3Gateway.Protocol.Tests.Support;

namespace Pop3Gateway.Protocol.Tests.IO;

public sealed class LineFramerTests
{
    private static (FrameStatus Status, string Line, string Remaining) Read(LineFramer framer, ReadOnlySequence<byte> input)
    {
        var buffer = input;
        var status = framer.TryReadLine(ref buffer, out var line);
        return (status, Bytes.Text(line), Bytes.Text(buffer));
    }

    /// <summary>Feeds <paramref name="chunks"/> the way a pipe reader would, collecting every event.</summary>
    private static List<string> Feed(LineFramer framer, params string[] chunks)
    {
        var events = new List<string>();
        var pending = string.Empty;
        foreach (var chunk in chunks)
        {
            var buffer = Bytes.Sequence(pending + chunk);
            while (true)
            {
                var status = framer.TryReadLine(ref buffer, out var line);
                if (status == FrameStatus.NeedMoreData)
                {
                    break;
                }

                events.Add(status == FrameStatus.Line ? "L:" + Bytes.Text(line) : "TOO LONG");
            }

            Assert.True(buffer.Length < framer.MaxLineLength, "The kept partial line must stay under the limit.");
            pending = Bytes.Text(buffer);
        }

        return events;
    }

    [Fact]
    public void TryReadLine_CrLfLine_StripsCrLf()
    {
        var result = Read(new LineFramer(16), Bytes.Sequence("STAT\r\nNOOP"));
        Assert.Equal((FrameStatus.Line, "STAT", "NOOP"), result);
    }

    [Fact]
    public void TryReadLine_BareLf_StripsLf()
    {
        var result = Read(new LineFramer(16), Bytes.Sequence("STAT\nrest"));
        Assert.Equal((FrameStatus.Line, "STAT", "rest"), result);
    }

    [Fact]
    public void TryReadLine_EmptyLine_ReturnsEmptyLine()
    {
        Assert.Equal((FrameStatus.Line, "", "X"), Read(new LineFramer(16), Bytes.Sequence("\r\nX")));
        Assert.Equal((FrameStatus.Line, "", ""), Read(new LineFramer(16), Bytes.Sequence("\n")));
    }

    [Fact]
    public void TryReadLine_CrInsideLine_IsKept()
    {
        Assert.Equal((FrameStatus.Line, "A\rB", ""), Read(new LineFramer(16), Bytes.Sequence("A\rB\r\n")));
    }

    [Fact]
    public void TryReadLine_OnlyTheLastCrIsStripped_DoubleCrKeepsOne()
    {
        Assert.Equal((FrameStatus.Line, "A\r", ""), Read(new LineFramer(16), Bytes.Sequence("A\r\r\n")));
    }

    [Fact]
    public void TryReadLine_PartialLine_NeedMoreDataAndKeepsBuffer()
    {
        Assert.Equal((FrameStatus.NeedMoreData, "", "STA"), Read(new LineFramer(16), Bytes.Sequence("STA")));
    }

    [Fact]
    public void TryReadLine_PartialLineEndingInCr_NeedMoreData()
    {
        Assert.Equal((FrameStatus.NeedMoreData, "", "STAT\r"), Read(new LineFramer(16), Bytes.Sequence("STAT\r")));
    }

    [Fact]
    public void TryReadLine_EmptyBuffer_NeedMoreData()
    {
        Assert.Equal((FrameStatus.NeedMoreData, "", ""), Read(new LineFramer(16), ReadOnlySequence<byte>.Empty));
    }

    [Fact]
    public void TryReadLine_CrLfLineExactlyAtLimit_IsALine()
    {
        var text = new string('a', 14);
        Assert.Equal((FrameStatus.Line, text, ""), Read(new LineFramer(16), Bytes.Sequence(text + "\r\n")));
    }

    [Fact]
    public void TryReadLine_CrLfLineOneOverLimit_TooLong()
    {
        var framer = new LineFramer(16);
        var result = Read(framer, Bytes.Sequence(new string('a', 15) + "\r\nSTAT\r\n"));
        Assert.Equal(FrameStatus.TooLong, result.Status);
        Assert.True(framer.IsDiscarding);
        Assert.Equal(["L:STAT"], Feed(framer, result.Remaining));
    }

    [Fact]
    public void TryReadLine_BareLfLineExactlyAtLimit_IsALine()
    {
        var text = new string('a', 15);
        Assert.Equal((FrameStatus.Line, text, ""), Read(new LineFramer(16), Bytes.Sequence(text + "\n")));
    }

    [Fact]
    public void TryReadLine_BareLfLineOneOverLimit_TooLong()
    {
        Assert.Equal(FrameStatus.TooLong, Read(new LineFramer(16), Bytes.Sequence(new string('a', 16) + "\n")).Status);
    }

    [Fact]
    public void TryReadLine_PartialLineBelowLimit_NeedMoreData()
    {
        var text = new string('a', 15);
        Assert.Equal((FrameStatus.NeedMoreData, "", text), Read(new LineFramer(16), Bytes.Sequence(text)));
    }

    [Fact]
    public void TryReadLine_PartialLineReachingLimit_TooLongAndConsumesIt()
    {
        var framer = new LineFramer(16);
        var result = Read(framer, Bytes.Sequence(new string('a', 20)));
        Assert.Equal((FrameStatus.TooLong, "", "aaaa"), result);
        Assert.True(framer.IsDiscarding);
    }

    [Fact]
    public void TryReadLine_DoesNotLookPastTheLimit()
    {
        // The LF sits beyond the limit: it must not be found, the line is too long.
        var framer = new LineFramer(16);
        Assert.Equal(FrameStatus.TooLong, Read(framer, Bytes.Sequence(new string('a', 30) + "\n")).Status);
    }

    [Fact]
    public void TryReadLine_TooLongLine_ReportedOnceAndDiscardedAcrossCalls()
    {
        var framer = new LineFramer(16);
        var events = Feed(framer, new string('x', 20), new string('y', 100), new string('z', 50), "zz\r", "\nNOOP\r\n");
        Assert.Equal(["TOO LONG", "L:NOOP"], events);
        Assert.False(framer.IsDiscarding);
    }

    [Fact]
    public void TryReadLine_WhileDiscarding_ConsumesEverything()
    {
        var framer = new LineFramer(16);
        Read(framer, Bytes.Sequence(new string('x', 16)));
        var result = Read(framer, Bytes.Sequence(new string('x', 1000)));
        Assert.Equal((FrameStatus.NeedMoreData, "", ""), result);
    }

    [Fact]
    public void TryReadLine_DiscardEndsWithBareLf_NextLineRead()
    {
        var framer = new LineFramer(16);
        Assert.Equal(["TOO LONG", "L:STAT"], Feed(framer, new string('x', 40) + "\nSTAT\n"));
    }

    [Fact]
    public void TryReadLine_TwoTooLongLinesInARow_EachReportedOnce()
    {
        var framer = new LineFramer(16);
        Assert.Equal(["TOO LONG", "TOO LONG", "L:QUIT"], Feed(framer, new string('x', 40) + "\r\n" + new string('y', 17) + "\r\nQUIT\r\n"));
    }

    [Fact]
    public void TryReadLine_ManyLinesInOneBuffer_ReturnsEachInOrder()
    {
        var framer = new LineFramer(16);
        Assert.Equal(["L:USER a", "L:PASS b", "L:", "L:STAT", "L:LIST"], Feed(framer, "USER a\r\nPASS b\n\r\nSTAT\r\nLIST\r\nRE"));
    }

    [Fact]
    public void TryReadLine_OneByteSegments_SameLines()
    {
        var framer = new LineFramer(16);
        var buffer = Bytes.ByteBySegment("USER alice\r\nSTAT\nNO");
        var lines = new List<string>();
        while (framer.TryReadLine(ref buffer, out var line) == FrameStatus.Line)
        {
            lines.Add(Bytes.Text(line));
        }

        Assert.Equal(["USER alice", "STAT"], lines);
        Assert.Equal("NO", Bytes.Text(buffer));
    }

    [Fact]
    public void TryReadLine_CrLfSplitAcrossSegments_StripsBoth()
    {
        var data = Bytes.Of("STAT\r\nX");
        var buffer = Bytes.Segmented(data, 5);
        Assert.Equal(FrameStatus.Line, new LineFramer(16).TryReadLine(ref buffer, out var line));
        Assert.Equal("STAT", Bytes.Text(line));
        Assert.Equal("X", Bytes.Text(buffer));
    }

    [Fact]
    public void TryReadLine_SegmentedTooLongLine_TooLongThenNextLine()
    {
        var framer = new LineFramer(16);
        var buffer = Bytes.Segmented(Bytes.Of(new string('a', 25) + "\r\nNOOP\r\n"), 3, 10, 16, 17, 26, 28);
        Assert.Equal(FrameStatus.TooLong, framer.TryReadLine(ref buffer, out _));
        Assert.Equal(FrameStatus.Line, framer.TryReadLine(ref buffer, out var line));
        Assert.Equal("NOOP", Bytes.Text(line));
        Assert.Equal(FrameStatus.NeedMoreData, framer.TryReadLine(ref buffer, out _));
    }

    [Fact]
    public void TryReadLine_RandomSplits_SameEventsAsOneBuffer()
    {
        const string input = "USER alice\r\nPASS a b c\n\r\nTHIS LINE IS FAR TOO LONG FOR THE LIMIT\r\nSTAT\r\nxxxxxxxxxxxxxxxx\nQUIT\r\n";
        var expected = Feed(new LineFramer(16), input);
        var random = new Random(1939);
        for (var round = 0; round < 200; round++)
        {
            var cuts = Enumerable.Range(0, random.Next(1, 10)).Select(_ => random.Next(1, input.Length)).Distinct().Order().ToList();
            var chunks = cuts.Prepend(0).Zip(cuts.Append(input.Length), (from, to) => input[from..to]).ToArray();
            Assert.Equal(expected, Feed(new LineFramer(16), chunks));
        }
    }

    [Fact]
    public void Constructor_LimitTooSmall_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LineFramer(2));
    }
}
