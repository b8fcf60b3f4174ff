using System.Text;
using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests;

/// <summary>Malformed and unusual input over a raw socket: limits, bad arguments, pipelining, bare LF, dropped connections.</summary>
public sealed class RawProtocolTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private int Port => fixture.Pop3Port;

    [Fact]
    public Task LongLine_Over1024Octets_ErrAndSessionGoesOn() => fixture.GuardAsync(async () =>
    {
        var mailbox = await fixture.CreateMailboxAsync("rawlong", [TestMessages.Plain()]);
        await using var client = await RawPop3Client.LoginAsync(Port, mailbox.Login, mailbox.Password);

        await client.ExpectErrAsync("NOOP " + new string('x', 1100));
        await client.ExpectErrAsync("STAT " + new string('9', 5000));

        Assert.Equal($"+OK 1 {mailbox.Messages[0].Normalized.Length}", await client.CommandAsync("STAT"));
    });

    [Fact]
    public Task LongLine_BeforeLogin_ErrAndLoginStillWorks() => fixture.GuardAsync(async () =>
    {
        var account = await fixture.CreateAccountAsync("rawlonguser");
        await using var client = await RawPop3Client.ConnectAsync(Port);

        await client.ExpectErrAsync("USER " + new string('a', 2000));
        await client.ExpectOkAsync($"USER {account.Login}");
        await client.ExpectOkAsync($"PASS {account.Password}");
        Assert.Equal("+OK 0 0", await client.CommandAsync("STAT"));
    });

    [Fact]
    public Task LineLimit_1024OctetsAccepted1025Refused() => fixture.GuardAsync(async () =>
    {
        await using var client = await RawPop3Client.ConnectAsync(Port);

        // USER always answers +OK (no account enumeration), so only the length decides. CRLF counts.
        var atLimit = await client.CommandAsync("USER " + new string('a', 1024 - 7));
        var overLimit = await client.CommandAsync("USER " + new string('a', 1025 - 7));

        Assert.StartsWith("+OK", atLimit);
        Assert.StartsWith("-ERR", overLimit);
    });

    [Fact]
    public Task NulBytes_ErrAndSessionGoesOn() => fixture.GuardAsync(async () =>
    {
        var mailbox = await fixture.CreateMailboxAsync("rawnul", [TestMessages.Plain()]);
        await using var client = await RawPop3Client.LoginAsync(Port, mailbox.Login, mailbox.Password);

        foreach (var line in new[] { "STAT\0", "\0\0\0", "RETR 1\0", "\0NOOP", "LI\0ST" })
        {
            await client.ExpectErrAsync(line);
            await client.ExpectOkAsync("NOOP");
        }

        Assert.StartsWith("+OK 1 ", await client.CommandAsync("STAT"));
    });

    [Fact]
    public Task BadArguments_EveryForm_ErrAndNothingChanges() => fixture.GuardAsync(async () =>
    {
        var mailbox = await fixture.CreateMailboxAsync("rawargs", [TestMessages.Plain("a"), TestMessages.Plain("b")]);
        var stat = $"+OK 2 {mailbox.Messages.Sum(m => m.Normalized.Length)}";
        await using var client = await RawPop3Client.LoginAsync(Port, mailbox.Login, mailbox.Password);
        string[] commands =
        [
            "RETR 0", "RETR -1", "RETR 1x", "RETR 99999999999999999999", "RETR 3", "RETR", "RETR 1 2", "RETR +1", "RETR 0x1",
            "DELE 0", "DELE 1x", "DELE", "LIST -1", "LIST 99999999999999999999", "LIST 3", "UIDL 0", "UIDL x",
            "TOP 1 -1", "TOP 1", "TOP 0 1", "TOP 3 0", "TOP 1 1x", "TOP x 1", "TOP 1 1 1", "STAT 1",
        ];

        var wrong = new List<string>();
        foreach (var command in commands)
        {
            var reply = await client.CommandAsync(command);
            if (!reply.StartsWith("-ERR", StringComparison.Ordinal))
            {
                wrong.Add($"'{command}' got '{reply}'");
                break; // a multi-line reply may follow; the rest of this session cannot be trusted
            }
            Assert.Equal(stat, await client.CommandAsync("STAT"));
        }

        Assert.True(wrong.Count == 0, "accepted a bad argument: " + string.Join('\n', wrong));
    });

    [Fact]
    public Task DeletedMessage_RetrAndDeleAgain_Err() => fixture.GuardAsync(async () =>
    {
        var mailbox = await fixture.CreateMailboxAsync("rawdeleted", [TestMessages.Plain("a"), TestMessages.Plain("b")]);
        await using var client = await RawPop3Client.LoginAsync(Port, mailbox.Login, mailbox.Password);

        await client.ExpectOkAsync("DELE 1");

        await client.ExpectErrAsync("RETR 1");
        await client.ExpectErrAsync("DELE 1");
        await client.ExpectErrAsync("LIST 1");
        Assert.Equal($"+OK 1 {mailbox.Messages[1].Normalized.Length}", await client.CommandAsync("STAT"));
        await client.ExpectOkAsync("RSET");
        Assert.StartsWith("+OK 2 ", await client.CommandAsync("STAT"));
    });

    [Fact]
    public Task TopZero_HeadersAndBlankLineOnly() => fixture.GuardAsync(async () =>
    {
        var message = TestMessages.Dots();
        var mailbox = await fixture.CreateMailboxAsync("rawtop", [message]);
        await using var client = await RawPop3Client.LoginAsync(Port, mailbox.Login, mailbox.Password);

        await client.ExpectOkAsync("TOP 1 0");
        var top0 = await client.ReadMultilineAsync();
        await client.ExpectOkAsync("TOP 1 2");
        var top2 = await client.ReadMultilineAsync();
        await client.ExpectOkAsync("TOP 1 1000");
        var topAll = await client.ReadMultilineAsync();

        var text = Encoding.UTF8.GetString(message.Normalized);
        var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        Assert.Equal(text[..headerEnd], Encoding.UTF8.GetString(top0));
        Assert.Equal(text[..headerEnd] + ".leading dot\r\n.\r\n", Encoding.UTF8.GetString(top2));
        Assert.Equal(message.Normalized, topAll);
    });

    [Fact]
    public Task WrongState_TransactionCommandsBeforeLogin_Err() => fixture.GuardAsync(async () =>
    {
        await using var client = await RawPop3Client.ConnectAsync(Port);

        foreach (var command in new[] { "STAT", "LIST", "UIDL", "RETR 1", "DELE 1", "RSET", "NOOP", "TOP 1 0", "PASS x" })
        {
            await client.ExpectErrAsync(command);
        }
        await client.ExpectOkAsync("CAPA");
        Assert.NotEmpty(await client.ReadMultilineAsync());
    });

    [Fact]
    public Task BadCommands_TwentyInARow_ConnectionClosed() => fixture.GuardAsync(async () =>
    {
        await using var client = await RawPop3Client.ConnectAsync(Port);

        for (var i = 1; i < 20; i++)
        {
            await client.ExpectErrAsync($"BOGUS{i}");
        }
        await client.SendRawAsync("BOGUS20\r\n");
        var last = await client.ReadLineAsync();
        var closed = await client.IsClosedByServerAsync();

        Assert.True(closed, "the connection stayed open after 20 bad commands");
        Assert.True(last?.StartsWith("-ERR", StringComparison.Ordinal) == true, $"the 20th bad command got '{last ?? "(connection closed, no reply)"}' instead of -ERR");
    });

    [Fact]
    public Task BadCommands_NineteenThenAGoodOne_CounterResets() => fixture.GuardAsync(async () =>
    {
        await using var client = await RawPop3Client.ConnectAsync(Port);

        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 19; i++)
            {
                await client.ExpectErrAsync("XYZZY");
            }
            await client.ExpectOkAsync("CAPA");
            await client.ReadMultilineAsync();
        }

    });

    [Fact]
    public Task Pipelining_SeveralCommandsInOneWrite_AnsweredInOrder() => fixture.GuardAsync(async () =>
    {
        var mailbox = await fixture.CreateMailboxAsync("rawpipe", [TestMessages.Dots(), TestMessages.Plain("second")]);
        var sizes = mailbox.Messages.Select(m => m.Normalized.Length).ToArray();
        await using var client = await RawPop3Client.ConnectAsync(Port);

        await client.SendRawAsync($"USER {mailbox.Login}\r\nPASS {mailbox.Password}\r\nSTAT\r\nLIST\r\nUIDL 2\r\nRETR 1\r\nBOGUS\r\nDELE 2\r\nLIST 2\r\nNOOP\r\nSTAT\r\n");

        Assert.StartsWith("+OK", await client.ReadLineAsync());
        Assert.StartsWith("+OK", await client.ReadLineAsync());
        Assert.Equal($"+OK 2 {sizes.Sum()}", await client.ReadLineAsync());
        Assert.StartsWith("+OK", await client.ReadLineAsync());
        Assert.Equal($"1 {sizes[0]}\r\n2 {sizes[1]}\r\n", Encoding.ASCII.GetString(await client.ReadMultilineAsync()));
        Assert.Equal($"+OK 2 {mailbox.Uidls[1]}", await client.ReadLineAsync());
        Assert.StartsWith("+OK", await client.ReadLineAsync());
        Assert.Equal(mailbox.Messages[0].Normalized, await client.ReadMultilineAsync());
        Assert.StartsWith("-ERR", await client.ReadLineAsync());
        Assert.StartsWith("+OK", await client.ReadLineAsync());
        Assert.StartsWith("-ERR", await client.ReadLineAsync());
        Assert.StartsWith("+OK", await client.ReadLineAsync());
        Assert.Equal($"+OK 1 {sizes[0]}", await client.ReadLineAsync());
    });

    [Fact]
    public Task BareLf_LineEndings_Accepted() => fixture.GuardAsync(async () =>
    {
        var mailbox = await fixture.CreateMailboxAsync("rawlf", [TestMessages.BareLf()]);
        await using var client = await RawPop3Client.ConnectAsync(Port);

        await client.SendRawAsync($"USER {mailbox.Login}\nPASS {mailbox.Password}\nstat\nRETR 1\n");

        Assert.StartsWith("+OK", await client.ReadLineAsync());
        Assert.StartsWith("+OK", await client.ReadLineAsync());
        Assert.Equal($"+OK 1 {mailbox.Messages[0].Normalized.Length}", await client.ReadLineAsync());
        Assert.StartsWith("+OK", await client.ReadLineAsync());
        Assert.Equal(mailbox.Messages[0].Normalized, await client.ReadMultilineAsync());
    });

    [Fact]
    public Task DroppedDuringRetrOfLargeMessage_NothingDeletedAndLockReleased() => fixture.GuardAsync(async () =>
    {
        var mailbox = await fixture.CreateMailboxAsync("rawdrop", [TestMessages.Large(), TestMessages.Plain()]);
        // A small receive buffer keeps most of the message in the server's hands when the client vanishes.
        var client = await RawPop3Client.LoginAsync(Port, mailbox.Login, mailbox.Password, receiveBufferSize: 4096);
        await client.ExpectOkAsync("DELE 2");
        await client.SendRawAsync("RETR 1\r\n");

        var received = await client.ReadSomeAsync(100_000);
        client.Abort();

        Assert.True(received < mailbox.Messages[0].Normalized.Length, $"the whole message ({received} octets) arrived before the drop");
        await using var again = await LoginSoonAsync(mailbox);
        Assert.Equal($"+OK 2 {mailbox.Messages.Sum(m => m.Normalized.Length)}", await again.CommandAsync("STAT"));
        Assert.Equal($"+OK 2 {mailbox.Uidls[1]}", await again.CommandAsync("UIDL 2"));
        await again.ExpectOkAsync("RETR 1");
        Assert.Equal(mailbox.Messages[0].Normalized, await again.ReadMultilineAsync());
    });

    [Fact]
    public Task DroppedAfterDele_NoQuit_NothingDeleted() => fixture.GuardAsync(async () =>
    {
        var mailbox = await fixture.CreateMailboxAsync("rawnoquit", [TestMessages.Plain("a"), TestMessages.Plain("b")]);
        await using (var client = await RawPop3Client.LoginAsync(Port, mailbox.Login, mailbox.Password))
        {
            await client.ExpectOkAsync("DELE 1");
            await client.ExpectOkAsync("DELE 2");
        }

        await using var again = await LoginSoonAsync(mailbox);
        Assert.StartsWith("+OK 2 ", await again.CommandAsync("STAT"));
    });

    [Fact]
    public Task DeliveryDuringSession_AppearsInNextSessionOnly() => fixture.GuardAsync(async () =>
    {
        var mailbox = await fixture.CreateMailboxAsync("rawsnap", [TestMessages.Plain("before")]);
        var stat = $"+OK 1 {mailbox.Messages[0].Normalized.Length}";
        var later = TestMessages.Plain("during");
        await using (var client = await RawPop3Client.LoginAsync(Port, mailbox.Login, mailbox.Password))
        {
            var uidls = await fixture.DeliverAsync(mailbox.Login, [later]);

            Assert.Equal(stat, await client.CommandAsync("STAT"));
            await client.ExpectErrAsync("RETR 2");
            await client.ExpectOkAsync("QUIT");
            Assert.Single(uidls);
        }

        await using var next = await LoginSoonAsync(mailbox);
        Assert.Equal($"+OK 2 {mailbox.Messages[0].Normalized.Length + later.Normalized.Length}", await next.CommandAsync("STAT"));
    });

    [Fact]
    public Task Capa_BeforeAndAfterLogin_UserOnlyBeforeAndPipeliningBoth() => fixture.GuardAsync(async () =>
    {
        var account = await fixture.CreateAccountAsync("rawcapa");
        await using var client = await RawPop3Client.ConnectAsync(Port);

        await client.ExpectOkAsync("CAPA");
        var before = Capabilities(await client.ReadMultilineAsync());
        await client.ExpectOkAsync($"USER {account.Login}");
        await client.ExpectOkAsync($"PASS {account.Password}");
        await client.ExpectOkAsync("CAPA");
        var after = Capabilities(await client.ReadMultilineAsync());

        Assert.Contains("USER", before);
        Assert.DoesNotContain("USER", after);
        Assert.All(new[] { "UIDL", "TOP", "PIPELINING", "RESP-CODES", "AUTH-RESP-CODE" }, c => Assert.Contains(c, after));
        Assert.Contains("PIPELINING", before);
    });

    [Fact]
    public Task Quit_InAuthorization_ClosesWithOk() => fixture.GuardAsync(async () =>
    {
        await using var client = await RawPop3Client.ConnectAsync(Port);

        await client.ExpectOkAsync("quit");

        Assert.True(await client.IsClosedByServerAsync());
    });

    private static string[] Capabilities(byte[] listing) =>
        Encoding.ASCII.GetString(listing).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]).ToArray();

    /// <summary>A new login right after a connection ended: allowed up to 20 s under load to notice the close, far below the 90 s lease.</summary>
    private Task<RawPop3Client> LoginSoonAsync(SeededMailbox mailbox) =>
        RawPop3Client.LoginSoonAsync(Port, mailbox.Login, mailbox.Password, TimeSpan.FromSeconds(20));
}
