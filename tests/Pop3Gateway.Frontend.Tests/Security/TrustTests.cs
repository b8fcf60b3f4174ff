using System.Net;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging.Abstractions;
using Pop3Gateway.Frontend.Proxy;
using Pop3Gateway.Frontend.Security;

namespace Pop3Gateway.Frontend.Tests.Security;

/// <summary>Security:TrustedNetworks decides cleartext and throttling; PROXY headers without an address earn no trust; IPv6 counts by /64.</summary>
[Collection(FrontendCollection.Name)]
public sealed class TrustTests(FrontendFixture fixture)
{
    private const string Password = "correct horse";

    private static readonly byte[] V2Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    private static ConnectionSecurity Security(string? trusted, LimitsOptions? limits = null, bool cleartext = false) => new(
        new SecurityOptions
        {
            TrustedNetworks = trusted,
            AllowCleartextAuth = cleartext,
            FailureDelay = TimeSpan.Zero,
            MaxFailureDelay = TimeSpan.Zero,
            BanAfterFailures = 1,
        },
        limits ?? new LimitsOptions(), null);

    private static IPEndPoint At(string address) => new(IPAddress.Parse(address), 40000);

    [Theory]
    [InlineData("192.0.2.7", "192.0.2.7")]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    public void AddressGroup_Address_Ipv4ItselfIpv6ItsSlash64(string address, string group)
    {
        var parsed = ConnectionSecurity.ClientAddress(At(address));

        Assert.Equal(group, ConnectionSecurity.AddressGroup(parsed));
    }

    [Fact]
    public void NetworkList_CidrsAndAddresses_ContainsOnlyThose()
    {
        var list = NetworkList.Parse(" 10.0.0.0/8, 192.0.2.1 ,2001:db8::/32", "Security:TrustedNetworks");

        Assert.True(list.Contains(IPAddress.Parse("10.200.0.1")));
        Assert.True(list.Contains(IPAddress.Parse("::ffff:10.0.0.1")));
        Assert.True(list.Contains(IPAddress.Parse("192.0.2.1")));
        Assert.True(list.Contains(IPAddress.Parse("2001:db8:ffff::1")));
        Assert.False(list.Contains(IPAddress.Parse("192.0.2.2")));
        Assert.False(list.Contains(IPAddress.Loopback));
        Assert.False(list.Contains(null));
        Assert.Empty(NetworkList.Parse("", "k").Networks);
    }

    [Fact]
    public void NetworkList_NotACidr_ThrowsNamingTheKey()
    {
        var error = Assert.Throws<InvalidOperationException>(() => NetworkList.Parse("127.0.0.1/8x", "Security:TrustedNetworks"));

        Assert.Contains("Security:TrustedNetworks", error.Message);
    }

    [Fact]
    public async Task Loopback_NotInTrustedNetworks_CleartextRefused()
    {
        await using var connection = new PipeConnection(fixture.Handler(security: Security(trusted: null)));
        await connection.ReadLineAsync();

        await connection.SendAsync("CAPA\r\nUSER someone\r\n");

        Assert.DoesNotContain("\r\nUSER\r\n", await connection.ReadMultiLineAsync());
        Assert.StartsWith("-ERR [AUTH]", await connection.ReadLineAsync());
    }

    [Fact]
    public async Task ClientInTrustedNetworks_CleartextAllowed()
    {
        await using var connection = new PipeConnection(fixture.Handler(security: Security("192.0.2.0/24")), At("192.0.2.9"));
        await connection.ReadLineAsync();

        await connection.SendAsync("CAPA\r\nUSER someone\r\n");

        Assert.Contains("\r\nUSER\r\n", await connection.ReadMultiLineAsync());
        Assert.StartsWith("+OK", await connection.ReadLineAsync());
    }

    [Theory]
    [InlineData("v2-local", false)]
    [InlineData("v1-unknown", false)]
    [InlineData("v1-tcp4", true)]
    public async Task ProxyHeader_FromLoopbackProxyOnTrustedNetwork_TrustedOnlyForATrustedClientAddress(string header, bool trusted)
    {
        byte[] bytes = header switch
        {
            "v1-unknown" => Encoding.ASCII.GetBytes("PROXY UNKNOWN\r\n"),
            "v1-tcp4" => Encoding.ASCII.GetBytes("PROXY TCP4 127.0.0.5 127.0.0.1 40000 110\r\n"),
            _ => [.. V2Signature, 0x20, 0x00, 0x00, 0x00],
        };
        await using var connection = new PipeConnection(Proxied(Security("127.0.0.0/8")), At("127.0.0.1"));

        await connection.SendAsync(bytes);
        await connection.ReadLineAsync();
        await connection.SendAsync("CAPA\r\nUSER someone\r\n");

        Assert.Equal(trusted, (await connection.ReadMultiLineAsync()).Contains("\r\nUSER\r\n", StringComparison.Ordinal));
        Assert.StartsWith(trusted ? "+OK" : "-ERR [AUTH]", await connection.ReadLineAsync());
    }

    [Fact]
    public async Task Ipv6_SameSlash64_SharesThePerAddressLimit()
    {
        var handler = fixture.Handler(security: Security(null, new LimitsOptions { MaxConnectionsPerIp = 1 }));
        var prefix = "2001:db8:" + Random.Shared.Next(1, 0xffff).ToString("x") + ":7:";
        await using var first = new PipeConnection(handler, At(prefix + ":a"));
        Assert.StartsWith("+OK", await first.ReadLineAsync());

        await using var sameNetwork = new PipeConnection(handler, At(prefix + "ffff:1:2:3"));
        await using var otherNetwork = new PipeConnection(handler, At(prefix.Replace(":7:", ":8:") + ":a"));

        Assert.Equal("-ERR [SYS/TEMP] Too many connections; try again later.\r\n", await sameNetwork.ReadToEndAsync());
        Assert.StartsWith("+OK", await otherNetwork.ReadLineAsync());
    }

    [Fact]
    public async Task Ipv6_FailuresFromOneAddress_BanItsWholeSlash64()
    {
        var handler = fixture.Handler(security: Security(null, cleartext: true));
        var prefix = "2001:db8:" + Random.Shared.Next(1, 0xffff).ToString("x") + ":9:";
        await using (var attacker = new PipeConnection(handler, At(prefix + ":1")))
        {
            await attacker.ReadLineAsync();
            await attacker.SendAsync("USER nobody-" + Guid.NewGuid().ToString("N") + "\r\nPASS " + Password + "\r\n");
            await attacker.ReadLineAsync();
            Assert.StartsWith("-ERR", await attacker.ReadLineAsync());
        }

        await using var neighbour = new PipeConnection(handler, At(prefix + "1234:5678:9abc:def0"));
        await using var elsewhere = new PipeConnection(handler, At(prefix.Replace(":9:", ":a:") + ":1"));

        Assert.StartsWith("-ERR [LOGIN-DELAY]", await neighbour.ReadToEndAsync());
        Assert.StartsWith("+OK", await elsewhere.ReadLineAsync());
    }

    /// <summary>The listener's order: the PROXY header (only 127.0.0.1 may send one), then admission and the handler.</summary>
    private ConnectionHandler Proxied(ConnectionSecurity security)
        => new ProxiedPipeline(new ProxyProtocolMiddleware(NetworkList.Parse("127.0.0.1", "Network:TrustedProxies"), NullLogger.Instance),
            fixture.Handler(security: security));

    private sealed class ProxiedPipeline(ProxyProtocolMiddleware proxy, ConnectionHandler next) : ConnectionHandler
    {
        public override Task OnConnectedAsync(ConnectionContext connection) => proxy.OnConnectionAsync(connection, next.OnConnectedAsync);
    }
}
