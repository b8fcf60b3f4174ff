using System.Buffers;
using System.Text;
using Pop3Gateway.Protocol.Lmtp;

namespace Pop3Gateway.Protocol.Tests.Lmtp;

public sealed class LmtpCommandParserTests
{
    [Fact]
    public void Parse_VerbIsUpperCased_ArgumentKept()
    {
        var command = LmtpCommandParser.Parse(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("rcpt TO:<A@B>")));

        Assert.Equal("RCPT", command.Verb);
        Assert.Equal("TO:<A@B>", command.Argument);
    }

    [Theory]
    [InlineData("FROM:<a@b.example>", "a@b.example")]
    [InlineData("from: <a@b.example>", "a@b.example")]
    [InlineData("FROM:<>", "")]
    [InlineData("FROM:<@relay.example,@r2.example:a@b.example>", "a@b.example")]
    public void TryParsePath_ValidForms_Address(string argument, string address)
    {
        Assert.True(LmtpCommandParser.TryParsePath(argument, "FROM", out var path));
        Assert.Equal(address, path!.Address);
    }

    [Fact]
    public void TryParsePath_Parameters_Parsed()
    {
        Assert.True(LmtpCommandParser.TryParsePath("FROM:<a@b> SIZE=42 BODY=8BITMIME", "FROM", out var path));

        Assert.Equal("42", path!.Parameters["size"]);
        Assert.Equal("8BITMIME", path.Parameters["BODY"]);
    }

    [Theory]
    [InlineData("FROM:a@b")]
    [InlineData("TO:<a@b>")]
    [InlineData("FROM:<a@b")]
    [InlineData("FROM:<a b@c>")]
    [InlineData("FROM:<\"q\"@c>")]
    [InlineData("FROM:<a@b> SIZE=1 SIZE=2")]
    [InlineData("FROM:<caf\u00e9@b>")]
    public void TryParsePath_Malformed_False(string argument)
    {
        Assert.False(LmtpCommandParser.TryParsePath(argument, "FROM", out _));
    }
}
