using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pop3Gateway.Abstractions;
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

    private async Task<PipeConnection> ConnectAsync(Action<LmtpServerOptions>? configure = null)
    {
        var connection = new PipeConnection(Handler(configure));
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
    public async Task BareLfAndLongLines_StoredWithCrlfAndWhole()
    {
        var login = NewLogin();
        await fixture.CreateMailboxAsync(login, Password);
        var longLine = new string('z', 200_000);
        await using var connection = await ConnectAsync();

        await connection.SendAsync($"MAIL FROM:<>\nRCPT TO:<{login}>\nDATA\n");
        await connection.ReadLineAsync();
        await connection.ReadLineAsync();
        Assert.StartsWith("354", await connection.ReadLineAsync());
        await connection.SendAsync($"Subject: lf\n\n..x\n{longLine}\n.\n");

        Assert.StartsWith("250 2.0.0 ", await connection.ReadLineAsync());
        Assert.Equal($"Subject: lf\r\n\r\n.x\r\n{longLine}\r\n", await RetrieveAsync(login, 1));
    }

    [Fact]
    public async Task MalformedInput_RightErrorsAndSessionGoesOn()
    {
        await using var connection = new PipeConnection(Handler(o => o.MaxLineLength = 512));
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
}
