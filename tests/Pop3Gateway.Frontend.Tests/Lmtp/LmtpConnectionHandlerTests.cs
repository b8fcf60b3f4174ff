using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;
using Pop3Gateway.Frontend.Delivery;
using Pop3Gateway.Frontend.Lmtp;

namespace Pop3Gateway.Frontend.Tests.Lmtp;

/// <summary>The LMTP handler over in-memory pipes against real grains and the embedded store.</summary>
[Collection(FrontendCollection.Name)]
public sealed class LmtpConnectionHandlerTests(FrontendFixture fixture)
{
    private const string Password = "correct horse";

    private static string NewLogin() => "l" + Guid.NewGuid().ToString("N")[..12];

    private LmtpConnectionHandler Handler(Action<LmtpServerOptions>? configure = null)
    {
        var options = new LmtpServerOptions { SpoolDirectory = Path.Combine(fixture.DataDirectory, "spool") };
        configure?.Invoke(options);
        var delivery = new MailDelivery(fixture.Grains, fixture.Bodies, NullLogger<MailDelivery>.Instance);
        return new LmtpConnectionHandler(fixture.Grains, delivery, Options.Create(options), NullLogger<LmtpConnectionHandler>.Instance);
    }

    /// <summary>A connection from the MTA on this host (127.0.0.1, inside the default Lmtp:AllowedNetworks).</summary>
    private static PipeConnection Open(LmtpConnectionHandler handler, string peer = "127.0.0.1")
        => new(handler, new IPEndPoint(IPAddress.Parse(peer), 40000));

    private async Task<PipeConnection> ConnectAsync(Action<LmtpServerOptions>? configure = null)
    {
        var connection = Open(Handler(configure));
        Assert.StartsWith("220 ", await connection.ReadLineAsync());
        await connection.SendAsync("LHLO mta.example\r\n");
        var lhlo = await connection.ReadUntilAsync("250 SIZE") + await connection.ReadLineAsync();
        Assert.Contains("250-PIPELINING\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n", lhlo);
        return connection;
    }

    private async Task<string> RetrieveAsync(string login, int number)
    {
        await using var pop3 = new PipeConnection(fixture.Handler());
        await pop3.ReadLineAsync();
        await pop3.SendAsync($"USER {login}\r\nPASS {Password}\r\n");
        Assert.StartsWith("+OK", await pop3.ReadLineAsync());
        Assert.StartsWith("+OK", await pop3.ReadLineAsync());
        await pop3.SendAsync($"RETR {number}\r\n");
        var reply = await pop3.ReadMultiLineAsync();
        Assert.StartsWith("+OK", reply);
        var body = reply[(reply.IndexOf("\r\n", StringComparison.Ordinal) + 2)..^3];
        return body.Replace("\r\n..", "\r\n.", StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThreeRecipients_ValidUnknownOverQuota_RightRepliesAndByteExactFetch()
    {
        var valid = NewLogin();
        var full = NewLogin();
        await fixture.CreateMailboxAsync(valid, Password);
        await fixture.CreateMailboxAsync(full, Password, "Subject: old\r\n\r\nalready here\r\n");
        Assert.True((await fixture.Grains.GetGrain<IAccountGrain>(valid).AddAddress($"{valid}@Example.COM")).IsOk);
        Assert.True((await fixture.Grains.GetGrain<IAccountGrain>(full).AddAddress($"{full}@example.com")).IsOk);
        Assert.Equal(MailboxStatus.Ok, await fixture.Grains.GetGrain<IMailboxGrain>(full).SetQuota(new QuotaSetting(null, 1)));
        const string message = "From: s@example.org\r\nSubject: three\r\n\r\n.dot first\r\n\u00e9t\u00e9 8-bit\r\nlast\r\n";
        var stuffed = message.Replace("\r\n.", "\r\n..", StringComparison.Ordinal);

        await using var connection = await ConnectAsync();
        await connection.SendAsync(
            $"MAIL FROM:<s@example.org> BODY=8BITMIME\r\nRCPT TO:<{valid.ToUpperInvariant()}@example.com>\r\n" +
            $"RCPT TO:<nobody-{valid}@example.com>\r\nRCPT TO:<{full}@example.com>\r\nDATA\r\n");
        Assert.StartsWith("250 2.1.0 ", await connection.ReadLineAsync());
        Assert.StartsWith("250 2.1.5 ", await connection.ReadLineAsync());
        Assert.StartsWith("550 5.1.1 ", await connection.ReadLineAsync());
        Assert.StartsWith("552 5.2.2 ", await connection.ReadLineAsync());
        Assert.StartsWith("354 ", await connection.ReadLineAsync());
        await connection.SendAsync(stuffed + ".\r\nQUIT\r\n");

        Assert.StartsWith($"250 2.0.0 <{valid.ToUpperInvariant()}@example.com> delivered as ", await connection.ReadLineAsync());
        Assert.Equal("221 2.0.0 Bye\r\n", await connection.ReadLineAsync());
        Assert.Equal(message, await RetrieveAsync(valid, 1));
        Assert.Equal(1, (await fixture.Grains.GetGrain<IMailboxGrain>(full).Describe()).MessageCount);
    }

    [Fact]
    public async Task QuotaReachedByThisMessage_552AfterData_NothingStored()
    {
        var login = NewLogin();
        await fixture.CreateMailboxAsync(login, Password);
        Assert.Equal(MailboxStatus.Ok, await fixture.Grains.GetGrain<IMailboxGrain>(login).SetQuota(new QuotaSetting(100, null)));
        await using var connection = await ConnectAsync();

        await connection.SendAsync($"MAIL FROM:<>\r\nRCPT TO:<{login}>\r\nDATA\r\n");
        Assert.StartsWith("250 2.1.0", await connection.ReadLineAsync());
        Assert.StartsWith("250 2.1.5", await connection.ReadLineAsync());
        Assert.StartsWith("354", await connection.ReadLineAsync());
        await connection.SendAsync("Subject: big\r\n\r\n" + new string('x', 200) + "\r\n.\r\n");

        Assert.StartsWith("552 5.2.2 ", await connection.ReadLineAsync());
        Assert.Equal(0, (await fixture.Grains.GetGrain<IMailboxGrain>(login).Describe()).MessageCount);
        var bodies = Path.Combine(fixture.DataDirectory, "bodies", login);
        Assert.Equal(0, Directory.Exists(bodies) ? Directory.EnumerateFiles(bodies).Count() : 0);
    }

    [Fact]
    public async Task MessageOverMaxSize_552534_ConnectionUsableAfterwards()
    {
        var login = NewLogin();
        await fixture.CreateMailboxAsync(login, Password);
        await using var connection = await ConnectAsync(o => o.MaxMessageSize = 1000);

        await connection.SendAsync($"MAIL FROM:<> SIZE=5000\r\n");
        Assert.StartsWith("552 5.3.4 ", await connection.ReadLineAsync());
        await connection.SendAsync($"MAIL FROM:<>\r\nRCPT TO:<{login}>\r\nDATA\r\n");
        await connection.ReadLineAsync();
        await connection.ReadLineAsync();
        Assert.StartsWith("354", await connection.ReadLineAsync());
        await connection.SendAsync(string.Concat(Enumerable.Repeat(new string('y', 998) + "\r\n", 100)) + ".\r\nNOOP\r\n");

        Assert.StartsWith("552 5.3.4 ", await connection.ReadLineAsync());
        Assert.Equal("250 2.0.0 OK\r\n", await connection.ReadLineAsync());
        Assert.Equal(0, (await fixture.Grains.GetGrain<IMailboxGrain>(login).Describe()).MessageCount);
    }

    [Fact]
    public async Task LongLines_StoredWholeThroughAnOwnerOnlySpool()
    {
        var login = NewLogin();
        await fixture.CreateMailboxAsync(login, Password);
        var longLine = new string('z', 200_000);
        var spoolDirectory = Path.Combine(fixture.DataDirectory, "spool-" + login, "lmtp");
        await using var connection = await ConnectAsync(o => o.SpoolDirectory = spoolDirectory);

        await connection.SendAsync($"MAIL FROM:<>\nRCPT TO:<{login}>\nDATA\n");
        await connection.ReadLineAsync();
        await connection.ReadLineAsync();
        Assert.StartsWith("354", await connection.ReadLineAsync());
        // The spool file exists from the 354 on, born owner-only in an owner-only directory.
        Assert.Equal(PrivateFiles.OwnerOnlyFile, ModeOf(Assert.Single(Directory.EnumerateFiles(spoolDirectory))));
        Assert.Equal(PrivateFiles.OwnerOnlyDirectory, ModeOf(spoolDirectory));
        Assert.Equal(PrivateFiles.OwnerOnlyDirectory, ModeOf(Path.GetDirectoryName(spoolDirectory)!));
        await connection.SendAsync($"Subject: long\r\n\r\n..x\r\n{longLine}\r\n.\r\n");

        Assert.StartsWith("250 2.0.0 ", await connection.ReadLineAsync());
        Assert.Equal($"Subject: long\r\n\r\n.x\r\n{longLine}\r\n", await RetrieveAsync(login, 1));
    }

    [Fact]
    public async Task BareLfDotBareLf_DoesNotEndData_MessageRefusedPerRecipientNothingStored()
    {
        var login = NewLogin();
        await fixture.CreateMailboxAsync(login, Password);
        await using var connection = await ConnectAsync();

        await connection.SendAsync($"MAIL FROM:<>\r\nRCPT TO:<{login}>\r\nRCPT TO:<{login}>\r\nDATA\r\n");
        for (var i = 0; i < 3; i++)
        {
            Assert.StartsWith("250 ", await connection.ReadLineAsync());
        }
        Assert.StartsWith("354", await connection.ReadLineAsync());
        // The smuggling attempt: after LF . LF comes a second transaction that must stay message content.
        await connection.SendAsync($"Subject: one\r\n\r\nx\n.\nMAIL FROM:<>\r\nRCPT TO:<{login}>\r\nDATA\r\nSubject: smuggled\r\n\r\n.\r\nNOOP\r\n");

        var refusal = $"550 5.5.2 {Environment.MachineName.ToLowerInvariant()} Error: bare <LF> received\r\n";
        Assert.Equal(refusal, await connection.ReadLineAsync());
        Assert.Equal(refusal, await connection.ReadLineAsync());
        Assert.Equal("250 2.0.0 OK\r\n", await connection.ReadLineAsync());
        Assert.Equal(0, (await fixture.Grains.GetGrain<IMailboxGrain>(login).Describe()).MessageCount);
    }

    [Theory]
    [InlineData("127.0.0.2", "127.0.0.1/32", "421 4.7.0 Access denied, closing connection\r\n")]
    [InlineData("10.1.2.3", "127.0.0.0/8,::1/128", "421 4.7.0 Access denied, closing connection\r\n")]
    [InlineData("::ffff:10.1.2.3", "127.0.0.0/8, ::1", "421 4.7.0 Access denied, closing connection\r\n")]
    [InlineData("10.1.2.3", "10.0.0.0/8", "220 ")]
    [InlineData("::ffff:127.0.0.1", "127.0.0.1", "220 ")]
    [InlineData("::1", "127.0.0.0/8,::1/128", "220 ")]
    public async Task Peer_OutsideAllowedNetworks421AndClosed_InsideGreeted(string peer, string allowed, string expected)
    {
        await using var connection = Open(Handler(o => o.AllowedNetworks = allowed), peer);

        Assert.StartsWith(expected, await connection.ReadLineAsync());
        if (expected.StartsWith("421", StringComparison.Ordinal))
        {
            Assert.Equal("", await connection.ReadToEndAsync());
        }
    }

    [Fact]
    public async Task NoPeerAddress_421()
    {
        // A peer that is not an IP end point (a Unix socket) is in no allowed network.
        await using var connection = new PipeConnection(Handler(), new System.Net.Sockets.UnixDomainSocketEndPoint("/run/lmtp.sock"));

        Assert.StartsWith("421 4.7.0 ", await connection.ReadToEndAsync());
    }

    [Fact]
    public async Task OverMaxConnections_421432_SlotFreedWhenAConnectionEnds()
    {
        var handler = Handler(o => o.MaxConnections = 1);
        var first = Open(handler);
        Assert.StartsWith("220 ", await first.ReadLineAsync());

        await using (var second = Open(handler))
        {
            Assert.Equal("421 4.3.2 Too many connections, try again later\r\n", await second.ReadToEndAsync());
        }
        await first.SendAsync("QUIT\r\n");
        Assert.Equal("221 2.0.0 Bye\r\n", await first.ReadToEndAsync());
        await first.DisposeAsync();

        await using var third = Open(handler);
        Assert.StartsWith("220 ", await third.ReadLineAsync());
    }

    [Fact]
    public async Task MalformedInput_RightErrorsAndSessionGoesOn()
    {
        await using var connection = Open(Handler(o => o.MaxLineLength = 512));
        Assert.StartsWith("220 ", await connection.ReadLineAsync());

        await connection.SendAsync("EHLO mta.example\r\nMAIL FROM:<>\r\nLHLO " + new string('h', 10_000) + "\r\nGARBAGE\r\nNOOP\r\n");

        Assert.StartsWith("500 5.5.1 ", await connection.ReadLineAsync());
        Assert.StartsWith("503 5.5.1 ", await connection.ReadLineAsync());
        Assert.StartsWith("500 5.5.2 ", await connection.ReadLineAsync());
        Assert.StartsWith("500 5.5.1 ", await connection.ReadLineAsync());
        Assert.Equal("250 2.0.0 OK\r\n", await connection.ReadLineAsync());
    }

    [Fact]
    public async Task TwoMessagesOneConnection_BothDeliveredInOrder()
    {
        var login = NewLogin();
        await fixture.CreateMailboxAsync(login, Password);
        await using var connection = await ConnectAsync();

        foreach (var subject in new[] { "first", "second" })
        {
            await connection.SendAsync($"MAIL FROM:<>\r\nRCPT TO:<{login}>\r\nDATA\r\n");
            await connection.ReadLineAsync();
            await connection.ReadLineAsync();
            Assert.StartsWith("354", await connection.ReadLineAsync());
            await connection.SendAsync($"Subject: {subject}\r\n\r\n.\r\n");
            Assert.StartsWith("250 2.0.0 ", await connection.ReadLineAsync());
        }

        Assert.Equal("Subject: first\r\n\r\n", await RetrieveAsync(login, 1));
        Assert.Equal("Subject: second\r\n\r\n", await RetrieveAsync(login, 2));
    }

    [Fact]
    public async Task DisabledAccount_StillReceivesMail()
    {
        var login = NewLogin();
        await fixture.CreateMailboxAsync(login, Password);
        Assert.True((await fixture.Grains.GetGrain<IAccountGrain>(login).SetDisabled(true)).IsOk);
        await using var connection = await ConnectAsync();

        await connection.SendAsync($"MAIL FROM:<>\r\nRCPT TO:<{login}>\r\n");
        await connection.ReadLineAsync();
        Assert.StartsWith("250 2.1.5 ", await connection.ReadLineAsync());
    }

    private static UnixFileMode ModeOf(string path) =>
        OperatingSystem.IsWindows() ? throw new PlatformNotSupportedException("Unix file modes") : File.GetUnixFileMode(path);
}
