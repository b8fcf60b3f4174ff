using Pop3Gateway.Protocol.Commands;

namespace Pop3Gateway.Protocol.Tests.Commands;

public sealed class Pop3NumbersTests
{
    [Theory]
    [InlineData("1", 1)]
    [InlineData("42", 42)]
    [InlineData("007", 7)]
    [InlineData("2147483647", int.MaxValue)]
    public void TryParseMessageNumber_Digits_Parsed(string value, int expected)
    {
        Assert.True(Pop3Numbers.TryParseMessageNumber(value, out var number, out _));
        Assert.Equal(expected, number);
    }

    [Theory]
    [InlineData("x", "Invalid message number: x")]
    [InlineData("", "Invalid message number: ")]
    [InlineData("-1", "Invalid message number: -1 (no sign allowed)")]
    [InlineData("+1", "Invalid message number: +1 (no sign allowed)")]
    [InlineData("1x", "Noise after message number: 1x")]
    [InlineData("1.0", "Noise after message number: 1.0")]
    [InlineData("0", "No such message.")]
    [InlineData("000", "No such message.")]
    [InlineData("2147483648", "Message number too large: 2147483648")]
    [InlineData("99999999999999999999", "Message number too large: 99999999999999999999")]
    [InlineData("99999999999999999999x", "Noise after message number: 99999999999999999999x")]
    public void TryParseMessageNumber_Invalid_PreciseError(string value, string expected)
    {
        Assert.False(Pop3Numbers.TryParseMessageNumber(value, out _, out var error));
        Assert.False(error.IsOk);
        Assert.Equal(expected, error.Text);
    }

    [Fact]
    public void TryParseMessageNumber_LongGarbage_EchoTruncated()
    {
        Assert.False(Pop3Numbers.TryParseMessageNumber(new string('x', 500), out _, out var error));
        Assert.True(error.Text.Length < 100);
        Assert.EndsWith("...", error.Text);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("10", 10)]
    [InlineData("2147483647", int.MaxValue)]
    public void TryParseLineCount_Digits_Parsed(string value, int expected)
    {
        Assert.True(Pop3Numbers.TryParseLineCount(value, out var count, out _));
        Assert.Equal(expected, count);
    }

    [Theory]
    [InlineData("-1", "Invalid line count: -1 (no sign allowed)")]
    [InlineData("ten", "Invalid line count: ten")]
    [InlineData("5y", "Noise after line count: 5y")]
    [InlineData("99999999999", "Line count too large: 99999999999")]
    public void TryParseLineCount_Invalid_PreciseError(string value, string expected)
    {
        Assert.False(Pop3Numbers.TryParseLineCount(value, out _, out var error));
        Assert.Equal(expected, error.Text);
    }
}
