using Pop3Gateway.Protocol.Commands;
using Pop3Gateway.Protocol.Session;
using Pop3Gateway.Protocol.Tests.Support;

namespace Pop3Gateway.Protocol.Tests.Commands;

public sealed class Pop3CommandParserTests
{
    private static Pop3Command Parse(string line)
    {
        Assert.True(Pop3CommandParser.TryParse(Bytes.Sequence(line), out var command, out var error), error);
        return command;
    }

    private static string Reject(string line)
    {
        Assert.False(Pop3CommandParser.TryParse(Bytes.Sequence(line), out var command, out var error));
        Assert.Null(command);
        return error;
    }

    [Theory]
    [InlineData("stat")]
    [InlineData("Stat")]
    [InlineData("STAT")]
    [InlineData("sTaT")]
    public void TryParse_AnyCase_KeywordUpperCase(string line)
    {
        Assert.Equal("STAT", Parse(line).Keyword);
    }

    [Fact]
    public void TryParse_NoArguments_EmptyArguments()
    {
        var command = Parse("NOOP");
        Assert.Empty(command.Arguments);
        Assert.Equal("", command.ArgumentText);
    }

    [Fact]
    public void TryParse_TwoArguments_SplitOnSpace()
    {
        var command = Parse("TOP 1 10");
        Assert.Equal("TOP", command.Keyword);
        Assert.Equal(["1", "10"], command.Arguments);
        Assert.Equal("1 10", command.ArgumentText);
    }

    [Fact]
    public void TryParse_RepeatedSpaces_Tolerated()
    {
        Assert.Equal(["1", "10"], Parse("TOP  1   10").Arguments);
    }

    [Fact]
    public void TryParse_TrailingSpaces_NoEmptyArgument()
    {
        Assert.Empty(Parse("STAT ").Arguments);
        Assert.Equal(["1"], Parse("LIST 1  ").Arguments);
    }

    [Fact]
    public void TryParse_ArgumentText_KeepsEverythingAfterFirstSpace()
    {
        Assert.Equal(" pass word ", Parse("PASS  pass word ").ArgumentText);
    }

    [Fact]
    public void TryParse_Utf8Argument_Decoded()
    {
        var line = "USER j\u00f6rg"u8.ToArray();
        Assert.True(Pop3CommandParser.TryParse(new System.Buffers.ReadOnlySequence<byte>(line), out var command, out _));
        Assert.Equal(["j\u00f6rg"], command.Arguments);
    }

    [Fact]
    public void TryParse_InvalidUtf8Argument_Rejected()
    {
        Assert.Equal(Pop3Replies.InvalidUtf8, Reject("USER \u00ff\u00fe"));
    }

    [Fact]
    public void TryParse_EightBitKeyword_Rejected()
    {
        Assert.Equal(Pop3Replies.EightBitCommandName, Reject("ST\u00c4T"));
    }

    [Fact]
    public void TryParse_Empty_Rejected()
    {
        Assert.Equal(Pop3Replies.EmptyCommand, Reject(""));
    }

    [Fact]
    public void TryParse_LeadingSpace_Rejected()
    {
        Assert.Equal(Pop3Replies.LeadingSpace, Reject(" STAT"));
    }

    [Theory]
    [InlineData("\0")]
    [InlineData("STAT\0")]
    [InlineData("USER a\0b")]
    [InlineData("\0\u0001")]
    public void TryParse_NulByte_Rejected(string line)
    {
        Assert.Equal(Pop3Replies.NulByte, Reject(line));
    }

    [Theory]
    [InlineData("STAT\u0001")]
    [InlineData("USER a\tb")]
    [InlineData("USER a\rb")]
    [InlineData("LIST\u001b[1m")]
    [InlineData("NOOP\u007f")]
    public void TryParse_ControlByte_Rejected(string line)
    {
        Assert.Equal(Pop3Replies.BinaryData, Reject(line));
    }

    [Fact]
    public void TryParse_UnknownKeyword_ParsedForTheSessionToReject()
    {
        Assert.Equal("XYZZY", Parse("xyzzy 1 2").Keyword);
    }

    [Fact]
    public void TryParse_OneByteSegments_SameResult()
    {
        Assert.True(Pop3CommandParser.TryParse(Bytes.ByteBySegment("top 3  7"), out var command, out _));
        Assert.Equal("TOP", command.Keyword);
        Assert.Equal(["3", "7"], command.Arguments);
        Assert.Equal("3  7", command.ArgumentText);
    }

    [Fact]
    public void TryParse_LongMultiSegmentLine_UsesPooledCopy()
    {
        var text = "PASS " + new string('p', 5000);
        Assert.True(Pop3CommandParser.TryParse(Bytes.Segmented(Bytes.Of(text), 7, 2000), out var command, out _));
        Assert.Equal(5000, command.ArgumentText.Length);
    }

    [Fact]
    public void TryParse_RandomBytes_NeverThrows()
    {
        var random = new Random(2449);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 40)];
            random.NextBytes(bytes);
            var parsed = Pop3CommandParser.TryParse(Bytes.Segmented(bytes, random.Next(0, 40)), out var command, out var error);
            Assert.True(parsed ? command is not null : error is not null);
        }
    }
}
