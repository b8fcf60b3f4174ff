using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests.Security;

/// <summary>
/// PROXY protocol v1/v2 from HAProxy and from a raw client, the cleartext rule for a non-loopback
/// client address (which only ever appears inside a PROXY header), and the per-address connection limit.
/// </summary>
public sealed class ProxyTests(ProxyServerFixture fixture) : IClassFixture<ProxyServerFixture>
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public Task Haproxy_SendProxy_ClientServed(int version) => fixture.Inner.GuardAsync(async () =>
    {
        var mailbox = await fixture.Inner.CreateMailboxAsync("haproxy", [TestMessages.Plain()]);
        await using var client = await LineClient.ConnectAsync(version == 1 ? fixture.HaproxyV1Port : fixture.HaproxyV2Port);

        Assert.Equal("+OK Pop3Gateway ready.", await client.ReadLineAsync());
        Assert.StartsWith("+OK", await client.CommandAsync($"USER {mailbox.Login}"));
        Assert.Equal("+OK Logged in.", await client.CommandAsync($"PASS {mailbox.Password}"));
        Assert.Equal($"+OK 1 {mailbox.Messages[0].Normalized.Length}", await client.CommandAsync("STAT"));
        Assert.StartsWith("+OK", await client.CommandAsync("QUIT"));
    });

    [Fact]
    public Task TrustedPeerWithoutHeader_ClosedWithoutGreeting() => fixture.Inner.GuardAsync(async () =>
    {
        await using var client = await LineClient.ConnectAsync(fixture.Pop3Port);
        await client.SendRawAsync("CAPA\r\n");

        Assert.True(await client.IsClosedByServerAsync());
    });

    [Theory]
    [InlineData(1, "203.0.113.7")]
    [InlineData(2, "203.0.113.8")]
    public Task PublicClientAddress_CleartextRefusedUntilStls(int version, string address) => fixture.Inner.GuardAsync(async () =>
    {
        var mailbox = await fixture.Inner.CreateMailboxAsync("proxyclear", [TestMessages.Plain()]);
        var header = version == 1 ? LineClient.ProxyV1(address) : LineClient.ProxyV2(address);
        await using var client = await LineClient.ConnectAsync(fixture.Pop3Port, header);
        Assert.StartsWith("+OK", await client.ReadLineAsync());

        Assert.StartsWith("+OK", await client.CommandAsync("CAPA"));
        var capabilities = await client.ReadMultilineAsync();
        Assert.DoesNotContain("USER", capabilities);
        Assert.Contains("SASL SCRAM-SHA-256", capabilities);
        Assert.Contains("STLS", capabilities);
        Assert.StartsWith("-ERR [AUTH]", await client.CommandAsync($"USER {mailbox.Login}"));
        Assert.StartsWith("-ERR [AUTH]", await client.CommandAsync("AUTH PLAIN " + Plain(mailbox.Login, mailbox.Password)));

        Assert.StartsWith("+OK", await client.CommandAsync("STLS"));
        await client.StartTlsAsync(fixture.Certificate.CertificatePath);
        Assert.StartsWith("+OK", await client.CommandAsync($"USER {mailbox.Login}"));
        Assert.Equal("+OK Logged in.", await client.CommandAsync($"PASS {mailbox.Password}"));
        Assert.StartsWith("+OK", await client.CommandAsync("QUIT"));
    });

    [Theory]
    [InlineData("v2-local")]
    [InlineData("v1-unknown")]
    public Task HeaderWithoutClientAddress_FromLoopbackProxy_NotTrusted(string header) => fixture.Inner.GuardAsync(async () =>
    {
        // The proxy (127.0.0.1) is in Security:TrustedNetworks by default, but a LOCAL/UNKNOWN header says nothing of the client.
        byte[] signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];
        byte[] preamble = header == "v1-unknown" ? "PROXY UNKNOWN\r\n"u8.ToArray() : [.. signature, 0x20, 0x00, 0x00, 0x00];
        var account = await fixture.Inner.CreateAccountAsync("proxylocal");
        await using var client = await LineClient.ConnectAsync(fixture.Pop3Port, preamble);
        Assert.StartsWith("+OK", await client.ReadLineAsync());

        Assert.StartsWith("+OK", await client.CommandAsync("CAPA"));
        Assert.DoesNotContain("USER", await client.ReadMultilineAsync());
        Assert.StartsWith("-ERR [AUTH]", await client.CommandAsync($"USER {account.Login}"));
    });

    [Fact]
    public Task ImplicitTlsPort_HeaderReadBeforeTls_CleartextAllowedOverTls() => fixture.Inner.GuardAsync(async () =>
    {
        var mailbox = await fixture.Inner.CreateMailboxAsync("proxytls", [TestMessages.Plain()]);
        await using var client = await LineClient.ConnectAsync(fixture.TlsPort, LineClient.ProxyV2("203.0.113.9"));
        await client.StartTlsAsync(fixture.Certificate.CertificatePath);

        Assert.StartsWith("+OK", await client.ReadLineAsync());
        Assert.StartsWith("+OK", await client.CommandAsync("CAPA"));
        var capabilities = await client.ReadMultilineAsync();
        Assert.DoesNotContain("STLS", capabilities);
        Assert.Contains("USER", capabilities);
        Assert.StartsWith("+OK", await client.CommandAsync($"USER {mailbox.Login}"));
        Assert.Equal("+OK Logged in.", await client.CommandAsync($"PASS {mailbox.Password}"));
    });

    [Fact]
    public Task ImplicitTlsPort_NoHeader_Closed() => fixture.Inner.GuardAsync(async () =>
    {
        await using var client = await LineClient.ConnectAsync(fixture.TlsPort);
        await Assert.ThrowsAnyAsync<Exception>(() => client.StartTlsAsync(fixture.Certificate.CertificatePath));
    });

    [Fact]
    public Task TlsPort_ConnectionsWithoutHandshake_CountAgainstTheLimitFromAccept() => fixture.Inner.GuardAsync(async () =>
    {
        // An address no other test of this server uses: BruteForceTests' attacker (.30) may still hold connections or a ban.
        const string address = "198.51.100.70";
        var silent = new List<LineClient>();
        try
        {
            // Connected to the implicit-TLS port, the PROXY header sent, no ClientHello ever.
            for (var i = 0; i < ProxyServerFixture.MaxConnectionsPerIp; i++)
            {
                silent.Add(await LineClient.ConnectAsync(fixture.TlsPort, LineClient.ProxyV1(address, 44000 + i)));
            }

            // Admission runs as each header arrives, so a probe may be counted before the last silent connection,
            // which is then refused; after each greeting one more silent connection makes up for such a loss
            // (one too many is refused and changes nothing).
            var greeting = await GreetingUntilAsync(address, 45000, g => g?.StartsWith("+OK", StringComparison.Ordinal) != true,
                async () => silent.Add(await LineClient.ConnectAsync(fixture.TlsPort, LineClient.ProxyV1(address, 44100 + silent.Count))));

            Assert.Equal("-ERR [SYS/TEMP] Too many connections; try again later.", greeting);
        }
        finally
        {
            foreach (var client in silent)
            {
                await client.DisposeAsync();
            }
        }
    });

    [Fact]
    public Task ConnectionsPerAddress_LimitHitThenRecovered() => fixture.Inner.GuardAsync(async () =>
    {
        const string address = "198.51.100.20";
        var open = new List<LineClient>();
        try
        {
            for (var i = 0; i < ProxyServerFixture.MaxConnectionsPerIp; i++)
            {
                var client = await LineClient.ConnectAsync(fixture.Pop3Port, LineClient.ProxyV1(address, 41000 + i));
                open.Add(client);
                Assert.StartsWith("+OK", await client.ReadLineAsync());
            }

            await using (var refused = await LineClient.ConnectAsync(fixture.Pop3Port, LineClient.ProxyV1(address, 42000)))
            {
                Assert.Equal("-ERR [SYS/TEMP] Too many connections; try again later.", await refused.ReadLineAsync());
                Assert.True(await refused.IsClosedByServerAsync());
            }

            // Another address is not affected.
            await using (var other = await LineClient.ConnectAsync(fixture.Pop3Port, LineClient.ProxyV1("198.51.100.21")))
            {
                Assert.StartsWith("+OK", await other.ReadLineAsync());
            }

            Assert.StartsWith("+OK", await open[0].CommandAsync("QUIT"));
            await open[0].DisposeAsync();
            open.RemoveAt(0);

            var greeting = await GreetingUntilAsync(address, 43000, g => g?.StartsWith("+OK", StringComparison.Ordinal) == true);
            Assert.StartsWith("+OK", greeting);
        }
        finally
        {
            foreach (var client in open)
            {
                await client.DisposeAsync();
            }
        }
    });

    /// <summary>Connects from <paramref name="address"/> every 200 ms, for up to 30 s, until the greeting is <paramref name="wanted"/>; returns the last one.</summary>
    private async Task<string?> GreetingUntilAsync(string address, int sourcePort, Func<string?, bool> wanted, Func<Task>? beforeRetry = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            string? greeting;
            await using (var client = await LineClient.ConnectAsync(fixture.Pop3Port, LineClient.ProxyV1(address, sourcePort)))
            {
                greeting = await client.ReadLineAsync();
            }
            if (wanted(greeting) || DateTime.UtcNow >= deadline)
            {
                return greeting;
            }
            await Task.Delay(200);
            if (beforeRetry is not null)
            {
                await beforeRetry();
            }
        }
    }

    internal static string Plain(string login, string password) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"\0{login}\0{password}"));
}
