using System.Text;
using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests;

/// <summary>
/// LMTP into a running <c>pop3gw serve</c> over real loopback sockets: swaks (the Debian MTA
/// test tool) as the MTA, a raw client for byte-exact and malformed input, POP3 to fetch back.
/// </summary>
public sealed class LmtpTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private int LmtpPort => fixture.Server.LmtpPort;

    private async Task<TestAccount> AccountWithAddressAsync(string prefix)
    {
        var account = new TestAccount(ServerFixture.UniqueLogin(prefix), ServerFixture.NewPassword());
        await fixture.CliOkAsync(account.Password + "\n", "account", "add", account.Login, "--password-stdin",
            "--address", $"{account.Login}@Example.COM");
        return account;
    }

    private async Task<byte[]> RetrieveAsync(TestAccount account, int number)
    {
        await using var pop3 = await RawPop3Client.LoginAsync(fixture.Pop3Port, account.Login, account.Password);
        await pop3.ExpectOkAsync($"RETR {number}");
        var body = await pop3.ReadMultilineAsync();
        await pop3.ExpectOkAsync("QUIT");
        return body;
    }

    private async Task<int> MessageCountAsync(TestAccount account)
    {
        await using var pop3 = await RawPop3Client.LoginAsync(fixture.Pop3Port, account.Login, account.Password);
        var stat = await pop3.ExpectOkAsync("STAT");
        await pop3.ExpectOkAsync("QUIT");
        return int.Parse(stat.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>One LMTP transaction up to and including the message's final dot; the reply is left for the caller.</summary>
    private static async Task<RawLmtpClient> SendMessageAsync(int port, TestAccount account, string message)
    {
        var lmtp = await RawLmtpClient.ConnectAsync(port);
        await lmtp.SendAsync($"LHLO mta.example\r\nMAIL FROM:<>\r\nRCPT TO:<{account.Login}@example.com>\r\nDATA\r\n");
        Assert.Contains("250 SIZE", await lmtp.ReadReplyAsync());
        Assert.StartsWith("250 2.1.0 ", await lmtp.ReadLineAsync());
        Assert.StartsWith("250 2.1.5 ", await lmtp.ReadLineAsync());
        Assert.StartsWith("354 ", await lmtp.ReadLineAsync());
        await lmtp.SendAsync(message + ".\r\n");
        return lmtp;
    }

    private async Task<string> DeliverOnceAsync(TestAccount account, string message)
    {
        await using var lmtp = await SendMessageAsync(LmtpPort, account, message);
        var reply = await lmtp.ReadLineAsync();
        Assert.StartsWith("250 2.0.0 ", reply);
        return reply;
    }

    [Fact]
    public Task Swaks_ValidUnknownOverQuota_ThreeRightRepliesAndByteExactFetch() => fixture.GuardAsync(async () =>
    {
        var swaks = ExternalTool.Require("swaks", "swaks");
        var valid = await AccountWithAddressAsync("lmtpok");
        var full = await AccountWithAddressAsync("lmtpfull");
        await fixture.CliOkAsync(null, "mailbox", "quota", full.Login, "--octets", "10");
        // swaks ends DATA with CRLF.CRLF itself; a body without a final newline arrives with exactly one CRLF added.
        const string body = "From: sender@example.org\r\nSubject: three recipients\r\n\r\n.a leading dot\r\n\u00e9t\u00e9 8-bit\r\nlast line";
        var file = Path.Combine(fixture.NewScratchDirectory("swaks"), "message.eml");
        await File.WriteAllBytesAsync(file, Encoding.UTF8.GetBytes(body));

        var result = await ProcessRunner.RunAsync(swaks,
        [
            "--protocol", "LMTP", "--server", "127.0.0.1", "--port", LmtpPort.ToString(),
            "--from", "sender@example.org",
            "--to", $"{valid.Login}@example.com,nobody-{valid.Login}@example.com,{full.Login}@example.com",
            "--data", "@" + file,
        ]);

        Assert.Contains("<-  250 2.1.5 Recipient OK", result.Stdout);
        Assert.Contains($"<** 550 5.1.1 <nobody-{valid.Login}@example.com>", result.Stdout);
        Assert.Contains($"<-  250 2.0.0 <{valid.Login}@example.com> delivered as ", result.Stdout);
        Assert.Contains($"<** 552 5.2.2 <{full.Login}@example.com> mailbox is over quota", result.Stdout);
        var fetched = await RetrieveAsync(valid, 1);
        Assert.True(Encoding.UTF8.GetBytes(body + "\r\n").AsSpan().SequenceEqual(fetched), FetchedMail.Difference(Encoding.UTF8.GetBytes(body + "\r\n"), fetched));
        var show = await fixture.CliOkAsync(null, "mailbox", "show", full.Login);
        Assert.Contains("messages: 0", show);
        Assert.Contains("0 of 10 octets", show);
    });

    [Fact]
    public Task RawClient_PipelinedDotStuffedMessage_FetchedByteExact() => fixture.GuardAsync(async () =>
    {
        var account = await AccountWithAddressAsync("lmtpraw");
        var message = Encoding.Latin1.GetBytes("Subject: raw\r\n\r\n.\r\n..two dots\r\n" + new string('L', 5000) + "\r\n\u00ff\u0080 bytes\r\n");
        var stuffed = Encoding.Latin1.GetString(message).Replace("\r\n.", "\r\n..", StringComparison.Ordinal);
        await using var lmtp = await RawLmtpClient.ConnectAsync(LmtpPort);

        await lmtp.SendAsync($"LHLO mta.example\r\nMAIL FROM:<> BODY=8BITMIME SIZE={message.Length}\r\nRCPT TO:<{account.Login}>\r\nDATA\r\n");
        Assert.Contains("250 SIZE ", await lmtp.ReadReplyAsync());
        Assert.StartsWith("250 2.1.0 ", await lmtp.ReadLineAsync());
        Assert.StartsWith("250 2.1.5 ", await lmtp.ReadLineAsync());
        Assert.StartsWith("354 ", await lmtp.ReadLineAsync());
        await lmtp.SendAsync(stuffed + ".\r\nQUIT\r\n");
        Assert.StartsWith("250 2.0.0 ", await lmtp.ReadLineAsync());
        Assert.StartsWith("221 ", await lmtp.ReadLineAsync());

        var fetched = await RetrieveAsync(account, 1);
        Assert.True(message.AsSpan().SequenceEqual(fetched), FetchedMail.Difference(message, fetched));
    });

    [Fact]
    public Task RawClient_MalformedInput_RefusedAndSessionGoesOn() => fixture.GuardAsync(async () =>
    {
        await using var lmtp = await RawLmtpClient.ConnectAsync(LmtpPort);

        await lmtp.SendAsync("HELO mta.example\r\n");
        var helo = await lmtp.ReadLineAsync();
        await lmtp.SendAsync("LHLO " + new string('x', 100_000) + "\r\n");
        var tooLong = await lmtp.ReadLineAsync();
        await lmtp.SendAsync("LHLO mta.example\nMAIL FROM:<a b>\nRCPT TO:<x@example.com>\nDATA\nNOOP\n");

        Assert.StartsWith("500 5.5.1 ", helo);
        Assert.Contains("LHLO", helo);
        Assert.StartsWith("500 5.5.2 ", tooLong);
        Assert.Contains("250 SIZE", await lmtp.ReadReplyAsync());
        Assert.StartsWith("501 5.5.4 ", await lmtp.ReadLineAsync());
        Assert.StartsWith("503 5.5.1 ", await lmtp.ReadLineAsync());
        Assert.StartsWith("503 5.5.1 ", await lmtp.ReadLineAsync());
        Assert.Equal("250 2.0.0 OK\r\n", await lmtp.ReadLineAsync());
    });

    [Fact]
    public Task DisableEnableRemove_LoginRefusedMailKeptRemovalGuarded() => fixture.GuardAsync(async () =>
    {
        var account = await AccountWithAddressAsync("lmtpadm");
        await using (var lmtp = await RawLmtpClient.ConnectAsync(LmtpPort))
        {
            await lmtp.SendAsync($"LHLO m\r\nMAIL FROM:<>\r\nRCPT TO:<{account.Login}@example.com>\r\nDATA\r\n");
            await lmtp.ReadReplyAsync();
            await lmtp.ReadLineAsync();
            await lmtp.ReadLineAsync();
            Assert.StartsWith("354", await lmtp.ReadLineAsync());
            await lmtp.SendAsync("Subject: kept\r\n\r\nx\r\n.\r\n");
            Assert.StartsWith("250 2.0.0 ", await lmtp.ReadLineAsync());
        }

        await fixture.CliOkAsync(null, "account", "disable", account.Login);
        await using (var pop3 = await RawPop3Client.ConnectAsync(fixture.Pop3Port))
        {
            await pop3.ExpectOkAsync($"USER {account.Login}");
            Assert.StartsWith("-ERR [AUTH]", await pop3.ExpectErrAsync($"PASS {account.Password}"));
        }
        var removeRefused = await fixture.CliAsync("account", "remove", account.Login);
        await fixture.CliOkAsync(null, "account", "enable", account.Login);
        var fetched = await RetrieveAsync(account, 1);

        Assert.Equal(1, removeRefused.ExitCode);
        Assert.Contains("still holds 1 messages", removeRefused.Stderr);
        Assert.Equal("Subject: kept\r\n\r\nx\r\n", Encoding.ASCII.GetString(fetched));
    });

    [Theory]
    [InlineData("account", "address", "add", "nosuchaccount-lmtp", "a@example.com")]
    [InlineData("account", "address", "add", "LOGIN", "not an address")]
    [InlineData("account", "disable", "nosuchaccount-lmtp")]
    [InlineData("account", "revoke", "LOGIN", "nosuchmailbox-lmtp")]
    [InlineData("mailbox", "quota", "nosuchmailbox-lmtp", "--octets", "5")]
    [InlineData("mailbox", "quota", "LOGIN", "--octets", "-5")]
    [InlineData("mailbox", "quota", "LOGIN")]
    public Task AdminCommand_BadInput_OneLineAndExitOne(params string[] args) => fixture.GuardAsync(async () =>
    {
        var account = await fixture.CreateAccountAsync("lmtpbad");

        var result = await fixture.CliAsync(args.Select(a => a == "LOGIN" ? account.Login : a).ToArray());

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("pop3gw: ", result.Stderr);
    });

    [Fact]
    public Task RawClient_SameMessageInTwoTransactions_Both250AndOneCopy() => fixture.GuardAsync(async () =>
    {
        var account = await AccountWithAddressAsync("lmtptwice");
        var message = $"Message-ID: <twice-{account.Login}@example.test>\r\nSubject: twice\r\n\r\nsent twice\r\n";

        var first = await DeliverOnceAsync(account, message);
        var second = await DeliverOnceAsync(account, message);

        Assert.Equal(first, second); // "delivered as" the same UIDL
        Assert.Equal(1, await MessageCountAsync(account));
    });

    [Fact]
    public Task RawClient_ReplyLostThenRetried_OneCopy() => fixture.GuardAsync(async () =>
    {
        var account = await AccountWithAddressAsync("lmtplost");
        var message = $"Message-ID: <lost-{account.Login}@example.test>\r\nSubject: lost reply\r\n\r\nretried\r\n";
        await using (await SendMessageAsync(LmtpPort, account, message))
        {
            // The message is stored, and the connection closes with its 250 unread: the MTA never saw it.
            await Eventually.UntilAsync("the first attempt to be stored", TimeSpan.FromSeconds(30),
                async () => await MessageCountAsync(account) == 1 ? null : "not stored yet");
        }

        var retried = await DeliverOnceAsync(account, message);

        Assert.Contains(" delivered as ", retried);
        Assert.Equal(1, await MessageCountAsync(account));
    });
}
