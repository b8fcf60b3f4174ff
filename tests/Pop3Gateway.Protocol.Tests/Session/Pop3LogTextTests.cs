using Pop3Gateway.Protocol.Session;
using Pop3Gateway.Protocol.Tests.Support;

namespace Pop3Gateway.Protocol.Tests.Session;

public sealed class Pop3LogTextTests
{
    [Theory]
    [InlineData("PASS secret")]
    [InlineData("pass two words")]
    [InlineData("PASS")]
    public void ForLog_Pass_Redacted(string line)
    {
        Assert.Equal("PASS ***", Pop3LogText.ForLog(Bytes.Sequence(line)));
    }

    [Fact]
    public void ForLog_OtherCommand_Verbatim()
    {
        Assert.Equal("USER alice", Pop3LogText.ForLog(Bytes.Sequence("USER alice")));
        Assert.Equal("PASSWORD x", Pop3LogText.ForLog(Bytes.Sequence("PASSWORD x")));
    }

    [Fact]
    public void ForLog_ControlAnd8Bit_Escaped()
    {
        Assert.Equal("A\\x00\\x0D\\xFF", Pop3LogText.ForLog(Bytes.ByteBySegment("A\0\r\u00ff")));
    }

    [Theory]
    [InlineData("alice\r\nFailed login from 10.0.0.1 as root", "alice\\x0D\\x0AFailed login from 10.0.0.1 as root")]
    [InlineData("a\u0000b\u007f\u0085\u001b[31m", "a\\x00b\\x7F\\x85\\x1B[31m")]
    [InlineData("x\u2028y\u2029", "x\\u2028y\\u2029")]
    [InlineData("domain\\b\u00f6b@example.com", "domain\\b\u00f6b@example.com")]
    public void Escape_ControlCharacters_EscapedOthersKept(string text, string expected)
    {
        Assert.Equal(expected, Pop3LogText.Escape(text));
    }

    [Fact]
    public void Escape_Null_Null()
    {
        Assert.Null(Pop3LogText.Escape(null));
    }

    [Fact]
    public void ForLog_Long_Truncated()
    {
        var text = Pop3LogText.ForLog(Bytes.Sequence(new string('x', 1000)));
        Assert.Equal(Pop3LogText.MaxLength + 3, text.Length);
    }

    [Theory]
    [InlineData("AUTH PLAIN AGFsaWNlAHNlY3JldA==", "AUTH PLAIN ***")]
    [InlineData("auth  scram-sha-256 biwsbj11c2Vy", "auth  scram-sha-256 ***")]
    [InlineData("AUTH LOGIN", "AUTH LOGIN")]
    [InlineData("AUTH", "AUTH")]
    public void ForLog_AuthInitialResponse_Redacted(string line, string expected)
    {
        Assert.Equal(expected, Pop3LogText.ForLog(Bytes.Sequence(line)));
    }

    [Fact]
    public void ForLog_SaslResponse_RedactedWhole()
    {
        Assert.Equal(Pop3LogText.Redacted, Pop3LogText.ForLog(Bytes.Sequence("c2VjcmV0"), saslResponse: true));
    }
}
