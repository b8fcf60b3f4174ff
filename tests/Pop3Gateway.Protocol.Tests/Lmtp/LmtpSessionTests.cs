using System.Buffers;
using System.Text;
using Pop3Gateway.Protocol.Lmtp;

namespace Pop3Gateway.Protocol.Tests.Lmtp;

public sealed class LmtpSessionTests
{
    private readonly FakeLmtpBackend _backend = new();
    private readonly LmtpSession _session;

    public LmtpSessionTests()
    {
        _backend.Recipients["alice@example.com"] = RecipientStatus.Ok;
        _backend.Recipients["bob@example.com"] = RecipientStatus.Ok;
        _backend.Recipients["full@example.com"] = RecipientStatus.OverQuota;
        _backend.Recipients["down@example.com"] = RecipientStatus.Unavailable;
        _session = new LmtpSession(_backend, new LmtpLimits { MaxMessageSize = 1000, MaxRecipients = 3, MaxBadCommands = 4, HostName = "mx" });
    }

    private async Task<string> Send(string line) =>
        (await _session.HandleLineAsync(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(line)), CancellationToken.None)).ToWire();

    private static LmtpMessage Message(string body) =>
        new(body.Length, _ => Task.FromResult<Stream>(new MemoryStream(Encoding.Latin1.GetBytes(body))));

    [Fact]
    [CoversLmtpCommand("LHLO")]
    public async Task Lhlo_AdvertisesExtensions()
    {
        Assert.Equal("250-mx\r\n250-PIPELINING\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250 SIZE 1000\r\n", await Send("LHLO client.example"));
        Assert.Equal(LmtpState.Ready, _session.State);
    }

    [Theory]
    [InlineData("HELO client.example")]
    [InlineData("EHLO client.example")]
    [CoversLmtpCommand("HELO")]
    [CoversLmtpCommand("EHLO")]
    public async Task HeloEhlo_RefusedWithHint(string line)
    {
        var reply = await Send(line);

        Assert.StartsWith("500 5.5.1 ", reply);
        Assert.Contains("LHLO", reply);
    }

    [Fact]
    [CoversLmtpCommand("LHLO")]
    public async Task Lhlo_WithoutArgument_SyntaxError()
    {
        Assert.StartsWith("501 5.5.4 ", await Send("LHLO"));
    }

    [Fact]
    [CoversLmtpCommand("MAIL")]
    public async Task Mail_BeforeLhlo_BadSequence()
    {
        Assert.StartsWith("503 5.5.1 ", await Send("MAIL FROM:<s@example.com>"));
    }

    [Fact]
    [CoversLmtpCommand("RCPT")]
    public async Task Rcpt_BeforeMail_BadSequence()
    {
        await Send("LHLO c");
        Assert.StartsWith("503 5.5.1 ", await Send("RCPT TO:<alice@example.com>"));
    }

    [Fact]
    [CoversLmtpCommand("MAIL")]
    public async Task Mail_Twice_BadSequence()
    {
        await Send("LHLO c");
        await Send("MAIL FROM:<>");
        Assert.StartsWith("503 5.5.1 ", await Send("MAIL FROM:<>"));
    }

    [Fact]
    [CoversLmtpCommand("MAIL")]
    public async Task Mail_SizeOverLimit_RefusedWith534()
    {
        await Send("LHLO c");
        Assert.StartsWith("552 5.3.4 ", await Send("MAIL FROM:<s@example.com> SIZE=1001"));
        Assert.Equal(LmtpState.Ready, _session.State);
    }

    [Fact]
    [CoversLmtpCommand("MAIL")]
    public async Task Mail_SizeHint_PassedToRecipientLookup()
    {
        await Send("LHLO c");
        Assert.StartsWith("250 2.1.0 ", await Send("MAIL FROM:<s@example.com> SIZE=500 BODY=8BITMIME"));
        await Send("RCPT TO:<alice@example.com>");
        Assert.Equal([500L], _backend.SizeHints);
    }

    [Fact]
    [CoversLmtpCommand("MAIL")]
    public async Task Mail_UnknownParameter_Refused()
    {
        await Send("LHLO c");
        Assert.StartsWith("555 5.5.4 ", await Send("MAIL FROM:<s@example.com> SMTPUTF8"));
    }

    [Fact]
    [CoversLmtpCommand("RCPT")]
    public async Task Rcpt_EachOutcome_RightReply()
    {
        await Send("LHLO c");
        await Send("MAIL FROM:<s@example.com>");

        Assert.StartsWith("250 2.1.5 ", await Send("RCPT TO:<alice@example.com>"));
        Assert.StartsWith("550 5.1.1 ", await Send("RCPT TO:<nobody@example.com>"));
        Assert.StartsWith("552 5.2.2 ", await Send("RCPT TO:<full@example.com>"));
        Assert.StartsWith("451 4.3.0 ", await Send("RCPT TO:<down@example.com>"));
        Assert.StartsWith("501 5.1.3 ", await Send("RCPT TO:<>"));
        Assert.StartsWith("555 5.5.4 ", await Send("RCPT TO:<bob@example.com> NOTIFY=NEVER"));
        Assert.StartsWith("501 5.5.4 ", await Send("RCPT TO:bob@example.com"));
        Assert.Equal(["alice@example.com"], _session.Recipients);
    }

    [Fact]
    [CoversLmtpCommand("RCPT")]
    public async Task Rcpt_OverRecipientLimit_452()
    {
        _backend.Recipients["c@example.com"] = RecipientStatus.Ok;
        _backend.Recipients["d@example.com"] = RecipientStatus.Ok;
        await Send("LHLO c");
        await Send("MAIL FROM:<>");
        await Send("RCPT TO:<alice@example.com>");
        await Send("RCPT TO:<bob@example.com>");
        await Send("RCPT TO:<c@example.com>");
        Assert.StartsWith("452 4.5.3 ", await Send("RCPT TO:<d@example.com>"));
    }

    [Fact]
    [CoversLmtpCommand("DATA")]
    public async Task Data_NoValidRecipients_503()
    {
        await Send("LHLO c");
        await Send("MAIL FROM:<>");
        await Send("RCPT TO:<nobody@example.com>");
        Assert.StartsWith("503 5.5.1 ", await Send("DATA"));
        Assert.False(_session.ReceivingData);
    }

    [Fact]
    [CoversLmtpCommand("DATA")]
    public async Task CompleteData_OneReplyPerAcceptedRecipientInOrder()
    {
        _backend.DeliveryOutcomes["bob@example.com"] = DeliveryStatus.OverQuota;
        await Send("LHLO c");
        await Send("MAIL FROM:<>");
        await Send("RCPT TO:<alice@example.com>");
        await Send("RCPT TO:<nobody@example.com>");
        await Send("RCPT TO:<bob@example.com>");
        Assert.Equal("354 Start mail input; end with <CRLF>.<CRLF>\r\n", await Send("DATA"));
        Assert.True(_session.ReceivingData);

        var replies = await _session.CompleteDataAsync(Message("Subject: hi\r\n\r\nbody\r\n"), CancellationToken.None);

        Assert.Equal(2, replies.Count);
        Assert.StartsWith("250 2.0.0 <alice@example.com> delivered as uidl-1", replies[0].ToWire());
        Assert.StartsWith("552 5.2.2 <bob@example.com>", replies[1].ToWire());
        Assert.Equal(LmtpState.Ready, _session.State);
        Assert.Empty(_session.Recipients);
    }

    [Fact]
    public async Task RefuseData_TooLarge_552534ForEveryRecipient()
    {
        await StartDataAsync("alice@example.com", "bob@example.com");

        var replies = _session.RefuseData(DataRefusal.TooLarge);

        Assert.All(replies, r => Assert.StartsWith("552 5.3.4 ", r.ToWire()));
        Assert.Equal(2, replies.Count);
        Assert.Empty(_backend.Delivered);
    }

    [Fact]
    public async Task RefuseData_BareLineFeed_PostfixReplyForEveryRecipientAndTransactionOver()
    {
        await StartDataAsync("alice@example.com", "bob@example.com");

        var replies = _session.RefuseData(DataRefusal.BareLineFeed);

        Assert.Equal(["550 5.5.2 mx Error: bare <LF> received\r\n", "550 5.5.2 mx Error: bare <LF> received\r\n"],
            replies.Select(r => r.ToWire()));
        Assert.Empty(_backend.Delivered);
        Assert.False(_session.ReceivingData);
        Assert.Equal(LmtpState.Ready, _session.State);
        Assert.Empty(_session.Recipients);
    }

    [Fact]
    public async Task CompleteData_StorageDown_451()
    {
        _backend.DeliveryOutcomes["alice@example.com"] = DeliveryStatus.Unavailable;
        await Send("LHLO c");
        await Send("MAIL FROM:<>");
        await Send("RCPT TO:<alice@example.com>");
        await Send("DATA");

        var replies = await _session.CompleteDataAsync(Message("x\r\n"), CancellationToken.None);

        Assert.StartsWith("451 4.3.0 ", Assert.Single(replies).ToWire());
    }

    [Fact]
    [CoversLmtpCommand("RSET")]
    public async Task Rset_ClearsTransaction()
    {
        await Send("LHLO c");
        await Send("MAIL FROM:<>");
        await Send("RCPT TO:<alice@example.com>");
        Assert.Equal("250 2.0.0 OK\r\n", await Send("RSET"));
        Assert.Empty(_session.Recipients);
        Assert.StartsWith("250 2.1.0 ", await Send("MAIL FROM:<>"));
    }

    [Fact]
    [CoversLmtpCommand("NOOP")]
    [CoversLmtpCommand("QUIT")]
    public async Task NoopQuitUnknown()
    {
        Assert.Equal("250 2.0.0 OK\r\n", await Send("noop"));
        Assert.StartsWith("500 5.5.1 ", await Send("VRFY alice"));
        var quit = await _session.HandleLineAsync(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("QUIT")), CancellationToken.None);
        Assert.Equal("221 2.0.0 Bye\r\n", quit.ToWire());
        Assert.True(quit.Close);
    }

    [Fact]
    public async Task BadCommands_InARow_CloseWith421()
    {
        for (var i = 1; i < 4; i++)
        {
            Assert.StartsWith("500 ", await Send("BOGUS"));
        }
        var last = await _session.HandleLineAsync(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("BOGUS")), CancellationToken.None);
        Assert.StartsWith("421 4.7.0 ", last.ToWire());
        Assert.True(last.Close);
    }

    [Fact]
    public async Task UnknownRecipients_DoNotCountAsBadCommands()
    {
        await Send("LHLO c");
        await Send("MAIL FROM:<>");
        for (var i = 0; i < 10; i++)
        {
            Assert.StartsWith("550 5.1.1 ", await Send($"RCPT TO:<nobody{i}@example.com>"));
        }
    }

    [Theory]
    [InlineData("DATA")]
    [InlineData("RCPT TO:<alice@example.com>")]
    [InlineData("MAIL FROM:<>")]
    [CoversLmtpCommand("DATA")]
    [CoversLmtpCommand("RCPT")]
    [CoversLmtpCommand("MAIL")]
    public async Task TransactionCommands_BeforeLhlo_503SendLhloFirst(string line)
    {
        Assert.Equal("503 5.5.1 Send LHLO first\r\n", await Send(line));
        Assert.Equal(LmtpState.Greeted, _session.State);
    }

    [Fact]
    [CoversLmtpCommand("DATA")]
    public async Task Data_WithArgument_SyntaxErrorBeforeStateCheck()
    {
        Assert.StartsWith("501 5.5.4 ", await Send("DATA now"));
        await Send("LHLO c");
        Assert.StartsWith("501 5.5.4 ", await Send("DATA  "));
        Assert.Equal("503 5.5.1 Send MAIL FROM first\r\n", await Send("DATA "));
    }

    [Theory]
    [InlineData("RSET")]
    [InlineData("QUIT")]
    [CoversLmtpCommand("RSET")]
    [CoversLmtpCommand("QUIT")]
    public async Task RsetQuit_WithArgument_SyntaxError_SpacesTolerated(string verb)
    {
        Assert.StartsWith("501 5.5.4 ", await Send(verb + " now"));
        Assert.StartsWith(verb == "RSET" ? "250 2.0.0 " : "221 2.0.0 ", await Send(verb + "  "));
    }

    [Fact]
    [CoversLmtpCommand("NOOP")]
    public async Task Noop_WithArgument_Accepted()
    {
        Assert.Equal("250 2.0.0 OK\r\n", await Send("NOOP anything at all"));
    }

    [Fact]
    [CoversLmtpCommand("LHLO")]
    public async Task Lhlo_DuringTransaction_EndsIt()
    {
        await Send("LHLO c");
        await Send("MAIL FROM:<>");
        await Send("RCPT TO:<alice@example.com>");

        Assert.StartsWith("250-mx\r\n", await Send("LHLO again"));

        Assert.Equal(LmtpState.Ready, _session.State);
        Assert.Empty(_session.Recipients);
    }

    [Fact]
    public async Task BadCommand_CountResetByGoodOne()
    {
        for (var i = 0; i < 3; i++)
        {
            await Send("BOGUS");
        }
        await Send("NOOP");
        for (var i = 0; i < 3; i++)
        {
            Assert.StartsWith("500 5.5.1 ", await Send("BOGUS"));
        }
    }

    [Fact]
    public void LineTooLong_500552()
    {
        Assert.StartsWith("500 5.5.2 ", _session.LineTooLong().ToWire());
    }

    private async Task StartDataAsync(params string[] recipients)
    {
        await Send("LHLO c");
        await Send("MAIL FROM:<>");
        foreach (var recipient in recipients)
        {
            await Send($"RCPT TO:<{recipient}>");
        }
        Assert.StartsWith("354 ", await Send("DATA"));
    }
}
