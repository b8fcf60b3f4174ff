using System.Net;
using System.Text;
using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests.Security;

/// <summary>
/// A server that takes LMTP only from 127.0.0.1/32 and throttles (so logs) every failed login:
/// a stranger gets 421, LF.LF cannot end DATA, and a login carrying CR LF is logged escaped.
/// </summary>
public sealed class LmtpTrustFixture() : IAsyncLifetime
{
    public ServerFixture Inner { get; } = new(new ServerProcess(new Dictionary<string, string>
    {
        ["POP3GW__Lmtp__AllowedNetworks"] = "127.0.0.1/32",
        // Failed logins are logged where they are throttled: loopback is not a trusted network here.
        ["POP3GW__Security__TrustedNetworks"] = "192.0.2.0/24",
        ["POP3GW__Security__AllowCleartextAuth"] = "true",
        ["POP3GW__Security__FailureDelay"] = "00:00:00.050",
        ["POP3GW__Security__MaxFailureDelay"] = "00:00:00.100",
    }));

    public Task InitializeAsync() => Inner.InitializeAsync();

    public Task DisposeAsync() => Inner.DisposeAsync();
}

public sealed class LmtpTrustTests(LmtpTrustFixture fixture) : IClassFixture<LmtpTrustFixture>
{
    private ServerProcess Server => fixture.Inner.Server;

    [Fact]
    public Task SourceOutsideAllowedNetworks_421BeforeTheGreetingAndClosed() => fixture.Inner.GuardAsync(async () =>
    {
        await using var stranger = await LineClient.ConnectAsync(Server.LmtpPort, source: IPAddress.Parse("127.0.0.2"));

        Assert.Equal("421 4.7.0 Access denied, closing connection", await stranger.ReadLineAsync());
        Assert.True(await stranger.IsClosedByServerAsync());
        await using var mta = await RawLmtpClient.ConnectAsync(Server.LmtpPort);
        await mta.SendAsync("NOOP\r\n");
        Assert.Equal("250 2.0.0 OK\r\n", await mta.ReadLineAsync());
    });

    [Fact]
    public Task BareLfDotBareLf_DoesNotEndData_550AndNothingDelivered() => fixture.Inner.GuardAsync(async () =>
    {
        var account = await fixture.Inner.CreateAccountAsync("lmtplf");
        await using var lmtp = await RawLmtpClient.ConnectAsync(Server.LmtpPort);
        await lmtp.SendAsync($"LHLO mta.example\r\nMAIL FROM:<>\r\nRCPT TO:<{account.Login}>\r\nDATA\r\n");
        await lmtp.ReadReplyAsync();
        Assert.StartsWith("250 2.1.0", await lmtp.ReadLineAsync());
        Assert.StartsWith("250 2.1.5", await lmtp.ReadLineAsync());
        Assert.StartsWith("354 ", await lmtp.ReadLineAsync());

        await lmtp.SendAsync($"Subject: first\r\n\r\nx\n.\nMAIL FROM:<>\r\nRCPT TO:<{account.Login}>\r\nDATA\r\nSubject: smuggled\r\n");
        await lmtp.SendAsync("\r\n.\r\nNOOP\r\n");

        Assert.Matches(@"^550 5\.5\.2 \S+ Error: bare <LF> received\r\n$", await lmtp.ReadLineAsync());
        Assert.Equal("250 2.0.0 OK\r\n", await lmtp.ReadLineAsync());
        Assert.Contains("messages: 0", await fixture.Inner.CliOkAsync(null, "mailbox", "show", account.Login));
    });

    [Fact]
    public Task LoginWithCrLf_LoggedEscapedOnOneLine() => fixture.Inner.GuardAsync(async () =>
    {
        var marker = Guid.NewGuid().ToString("N")[..10];
        var login = $"mallory{marker}\r\nwarn: forged[1008] Failed login from 203.0.113.9 as root";
        var plain = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{login}\0wrong"));
        await using var pop3 = await LineClient.ConnectAsync(Server.Pop3Port);
        Assert.StartsWith("+OK", await pop3.ReadLineAsync());

        Assert.Equal("-ERR [AUTH] Authentication failed.", await pop3.CommandAsync($"AUTH PLAIN {plain}"));

        string? logged = null;
        await Eventually.UntilAsync("the failed login in the server log", TimeSpan.FromSeconds(10), () =>
        {
            logged = Server.LogTail(5000).Split('\n').FirstOrDefault(l => l.Contains($"mallory{marker}", StringComparison.Ordinal));
            return Task.FromResult(logged is null ? "not logged yet" : null);
        }, TimeSpan.FromMilliseconds(100));
        Assert.Contains($"as mallory{marker}\\x0D\\x0Awarn: forged[1008] Failed login from 203.0.113.9 as root", logged);
        Assert.DoesNotContain(Server.LogTail(5000).Split('\n'), l => l.StartsWith("warn: forged", StringComparison.Ordinal));
    });
}
