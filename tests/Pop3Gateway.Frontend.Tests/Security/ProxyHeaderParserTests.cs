using System.Buffers;
using System.Net;
using System.Text;
using Pop3Gateway.Frontend.Proxy;

namespace Pop3Gateway.Frontend.Tests.Security;

public sealed class ProxyHeaderParserTests
{
    private static readonly byte[] V2Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    private static ProxyParseStatus Parse(byte[] bytes, out IPEndPoint? source, out long consumed)
        => ProxyHeaderParser.TryParse(new ReadOnlySequence<byte>(bytes), out source, out consumed);

    [Fact]
    public void V1_Tcp4_SourceAndConsumedExactlyTheHeader()
    {
        var header = "PROXY TCP4 203.0.113.9 10.0.0.1 51234 110\r\n";
        var bytes = Encoding.ASCII.GetBytes(header + "CAPA\r\n");

        Assert.Equal(ProxyParseStatus.Done, Parse(bytes, out var source, out var consumed));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("203.0.113.9"), 51234), source);
        Assert.Equal(header.Length, consumed);
    }

    [Fact]
    public void V1_Tcp6_Source()
    {
        var bytes = Encoding.ASCII.GetBytes("PROXY TCP6 2001:db8::7 2001:db8::1 4000 995\r\n");
        Assert.Equal(ProxyParseStatus.Done, Parse(bytes, out var source, out _));
        Assert.Equal(IPAddress.Parse("2001:db8::7"), source!.Address);
    }

    [Fact]
    public void V1_Unknown_DoneWithoutSource()
    {
        Assert.Equal(ProxyParseStatus.Done, Parse(Encoding.ASCII.GetBytes("PROXY UNKNOWN\r\n"), out var source, out var consumed));
        Assert.Null(source);
        Assert.Equal(15, consumed);
    }

    [Theory]
    [InlineData("PROXY TCP4 203.0.113.9 10.0.0.1 51234\r\n")]
    [InlineData("PROXY TCP4 2001:db8::7 10.0.0.1 1 2\r\n")]
    [InlineData("PROXY TCP4 203.0.113.9 10.0.0.1 99999 110\r\n")]
    [InlineData("PROXY TCP4 203.0.113.9 10.0.0.1 1 110\n")]
    [InlineData("USER alice\r\n")]
    [InlineData("GET / HTTP/1.1\r\n")]
    public void Malformed_Invalid(string text)
    {
        Assert.Equal(ProxyParseStatus.Invalid, Parse(Encoding.ASCII.GetBytes(text), out _, out _));
    }

    [Fact]
    public void V1_NoLineEndWithin107Octets_Invalid()
    {
        Assert.Equal(ProxyParseStatus.Invalid, Parse(Encoding.ASCII.GetBytes("PROXY TCP4 " + new string('1', 200)), out _, out _));
    }

    [Theory]
    [InlineData("PROXY TCP4 203.0.113.9")]
    [InlineData("PRO")]
    [InlineData("\r\n\r\n\0")]
    public void Partial_NeedMoreData(string text)
    {
        Assert.Equal(ProxyParseStatus.NeedMoreData, Parse(Encoding.Latin1.GetBytes(text), out _, out _));
    }

    [Fact]
    public void V2_ProxyTcp4_SourceAndConsumedIncludingTlvs()
    {
        byte[] header = [.. V2Signature, 0x21, 0x11, 0, 12 + 4, 198, 51, 100, 5, 10, 0, 0, 1, 0xC8, 0x01, 0, 110, 0x04, 0, 1, 0xAA];
        byte[] bytes = [.. header, .. "CAPA\r\n"u8];

        Assert.Equal(ProxyParseStatus.Done, Parse(bytes, out var source, out var consumed));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.51.100.5"), 0xC801), source);
        Assert.Equal(header.Length, consumed);
    }

    [Fact]
    public void V2_Local_DoneWithoutSource()
    {
        byte[] header = [.. V2Signature, 0x20, 0x00, 0, 0];
        Assert.Equal(ProxyParseStatus.Done, Parse(header, out var source, out var consumed));
        Assert.Null(source);
        Assert.Equal(16, consumed);
    }

    [Fact]
    public void V2_WrongVersionOrOversizedPayload_Invalid()
    {
        Assert.Equal(ProxyParseStatus.Invalid, Parse([.. V2Signature, 0x11, 0x11, 0, 12], out _, out _));
        Assert.Equal(ProxyParseStatus.Invalid, Parse([.. V2Signature, 0x21, 0x11, 0xFF, 0xFF], out _, out _));
    }

    [Fact]
    public void V2_PayloadNotArrivedYet_NeedMoreData()
    {
        Assert.Equal(ProxyParseStatus.NeedMoreData, Parse([.. V2Signature, 0x21, 0x11, 0, 12, 198, 51], out _, out _));
    }

    [Fact]
    public void TrustedProxies_CidrsAndBareAddresses_ParsedAndBadEntryRefused()
    {
        var networks = new NetworkOptions { TrustedProxies = " 10.0.0.0/8 , 127.0.0.1, ::1/128" }.ParseTrustedProxies();
        Assert.Equal(3, networks.Networks.Count);
        Assert.True(networks.Contains(IPAddress.Parse("10.20.30.40")));
        Assert.Empty(new NetworkOptions().ParseTrustedProxies().Networks);
        Assert.Throws<InvalidOperationException>(() => new NetworkOptions { TrustedProxies = "10.0.0.0/33" }.ParseTrustedProxies());
    }
}
