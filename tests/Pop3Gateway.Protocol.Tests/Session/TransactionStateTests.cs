using System.Buffers;
using Pop3Gateway.Protocol.IO;
using Pop3Gateway.Protocol.Session;
using Pop3Gateway.Protocol.Tests.Support;

namespace Pop3Gateway.Protocol.Tests.Session;

[CoversCommand("STAT")]
[CoversCommand("LIST")]
[CoversCommand("UIDL")]
[CoversCommand("RETR")]
[CoversCommand("TOP")]
[CoversCommand("DELE")]
[CoversCommand("RSET")]
[CoversCommand("NOOP")]
[CoversCommand("QUIT")]
public sealed class TransactionStateTests
{
    private static readonly long[] Sizes = FakeBackend.AliceMessages.Select(message => (long)message.Content.Length).ToArray();

    [Fact]
    public async Task Stat_CountAndOctets()
    {
        var reply = await (await SessionDriver.LoggedInAsync()).SendAsync("STAT");
        Assert.Equal($"3 {Sizes.Sum()}", reply.Text);
        Assert.True(reply.IsOk);
    }

    [Fact]
    public async Task List_NoArgument_AllMessages()
    {
        var reply = await (await SessionDriver.LoggedInAsync()).SendAsync("LIST");
        Assert.Equal($"3 messages ({Sizes.Sum()} octets)", reply.Text);
        Assert.Equal([$"1 {Sizes[0]}", $"2 {Sizes[1]}", $"3 {Sizes[2]}"], await reply.StreamedLinesAsync());
    }

    [Fact]
    public async Task List_Number_OneLine()
    {
        var reply = await (await SessionDriver.LoggedInAsync()).SendAsync("LIST 2");
        Assert.Equal($"2 {Sizes[1]}", reply.Text);
        Assert.Null(reply.Lines);
        Assert.Null(reply.StreamedLines);
    }

    [Fact]
    public async Task Uidl_NoArgument_AllMessages()
    {
        var reply = await (await SessionDriver.LoggedInAsync()).SendAsync("UIDL");
        Assert.Equal(["1 uid-1", "2 uid-2", "3 uid-3"], await reply.StreamedLinesAsync());
    }

    [Fact]
    public async Task Uidl_Number_OneLine()
    {
        Assert.Equal("3 uid-3", (await (await SessionDriver.LoggedInAsync()).SendAsync("UIDL 3")).Text);
    }

    [Theory]
    [InlineData("LIST 4")]
    [InlineData("UIDL 4")]
    [InlineData("RETR 4")]
    [InlineData("TOP 4 0")]
    [InlineData("DELE 4")]
    [InlineData("LIST 0")]
    [InlineData("RETR 0")]
    public async Task MessageCommand_OutOfRange_NoSuchMessage(string line)
    {
        Assert.Equal(Pop3Replies.NoSuchMessage, await (await SessionDriver.LoggedInAsync()).SendAsync(line));
    }

    [Theory]
    [InlineData("LIST 1x", "Noise after message number: 1x")]
    [InlineData("UIDL -1", "Invalid message number: -1 (no sign allowed)")]
    [InlineData("RETR one", "Invalid message number: one")]
    [InlineData("DELE 99999999999999999999", "Message number too large: 99999999999999999999")]
    [InlineData("TOP 1 -1", "Invalid line count: -1 (no sign allowed)")]
    [InlineData("TOP x 1", "Invalid message number: x")]
    [InlineData("TOP 1 99999999999", "Line count too large: 99999999999")]
    [InlineData("RETR", "RETR requires a message number.")]
    [InlineData("DELE", "DELE requires a message number.")]
    [InlineData("TOP 1", "TOP requires a message number and a line count.")]
    [InlineData("TOP 1 2 3", "Too many arguments for TOP.")]
    [InlineData("LIST 1 2", "Too many arguments for LIST.")]
    [InlineData("STAT 1", "Too many arguments for STAT.")]
    [InlineData("RSET x", "Too many arguments for RSET.")]
    [InlineData("NOOP x", "Too many arguments for NOOP.")]
    [InlineData("USER alice", "USER is not valid after login.")]
    [InlineData("PASS secret", "PASS is not valid after login.")]
    public async Task Command_BadArguments_PreciseErrorWithoutBackendCall(string line, string expected)
    {
        var driver = await SessionDriver.LoggedInAsync();
        var reply = await driver.SendAsync(line);
        Assert.False(reply.IsOk);
        Assert.Equal(expected, reply.Text);
        Assert.Empty(driver.Maildrop.Calls);
    }

    [Fact]
    public async Task Retr_Message_ReplyCarriesContent()
    {
        var reply = await (await SessionDriver.LoggedInAsync()).SendAsync("RETR 2");
        Assert.Equal($"{Sizes[1]} octets", reply.Text);
        Assert.NotNull(reply.Message);
        Assert.Equal(Sizes[1], reply.Message.Size);
        Assert.Null(reply.TopBodyLines);
        Assert.Null(reply.Lines);
    }

    [Fact]
    public async Task Top_Message_ReplyCarriesContentAndLineCount()
    {
        var reply = await (await SessionDriver.LoggedInAsync()).SendAsync("TOP 2 1");
        Assert.True(reply.IsOk);
        Assert.NotNull(reply.Message);
        Assert.Equal(1, reply.TopBodyLines);

        var output = new ArrayBufferWriter<byte>();
        var writer = new MessageBodyWriter(reply.TopBodyLines);
        await using var stream = await reply.Message.OpenAsync(CancellationToken.None);
        var buffer = new byte[4096];
        writer.Append(buffer.AsSpan(0, await stream.ReadAsync(buffer)), output);
        writer.Complete(output);
        Assert.Equal("Subject: two\r\nFrom: b@example.com\r\n\r\n..dot line\r\n.\r\n", Bytes.Text(output.WrittenSpan));
    }

    [Fact]
    public async Task Dele_MarksMessage_HiddenFromStatListUidl()
    {
        var driver = await SessionDriver.LoggedInAsync();
        Assert.Equal("Message 2 deleted.", (await driver.SendAsync("DELE 2")).Text);
        Assert.Equal($"2 {Sizes[0] + Sizes[2]}", (await driver.SendAsync("STAT")).Text);
        Assert.Equal([$"1 {Sizes[0]}", $"3 {Sizes[2]}"], await (await driver.SendAsync("LIST")).StreamedLinesAsync());
        Assert.Equal(["1 uid-1", "3 uid-3"], await (await driver.SendAsync("UIDL")).StreamedLinesAsync());
    }

    [Theory]
    [InlineData("LIST 2")]
    [InlineData("UIDL 2")]
    [InlineData("RETR 2")]
    [InlineData("TOP 2 0")]
    public async Task MessageCommand_DeletedMessage_Error(string line)
    {
        var driver = await SessionDriver.LoggedInAsync();
        await driver.SendAsync("DELE 2");
        Assert.Equal("Message 2 has been deleted.", (await driver.SendAsync(line)).Text);
    }

    [Fact]
    public async Task Dele_Twice_AlreadyDeleted()
    {
        var driver = await SessionDriver.LoggedInAsync();
        await driver.SendAsync("DELE 1");
        var reply = await driver.SendAsync("DELE 1");
        Assert.False(reply.IsOk);
        Assert.Equal("Message 1 already deleted.", reply.Text);
    }

    [Fact]
    public async Task Rset_ClearsMarks()
    {
        var driver = await SessionDriver.LoggedInAsync();
        await driver.SendAsync("DELE 1");
        Assert.True((await driver.SendAsync("RSET")).IsOk);
        Assert.Equal($"3 {Sizes.Sum()}", (await driver.SendAsync("STAT")).Text);
    }

    [Fact]
    public async Task Noop_KeepsAlive()
    {
        var driver = await SessionDriver.LoggedInAsync();
        var reply = await driver.SendAsync("NOOP");
        Assert.Equal(Pop3Replies.Noop, reply);
        Assert.Equal(["NOOP"], driver.Maildrop.Calls);
    }

    [Fact]
    public async Task Quit_AfterDele_CommitsAndCloses()
    {
        var driver = await SessionDriver.LoggedInAsync();
        await driver.SendAsync("DELE 1");
        await driver.SendAsync("DELE 3");
        var reply = await driver.SendAsync("QUIT");
        Assert.Equal("Bye, 2 messages deleted.", reply.Text);
        Assert.True(reply.CloseConnection);
        Assert.Equal(Pop3State.Update, driver.Session.State);
        Assert.Equal([1, 3], driver.Maildrop.Deleted);
    }

    [Fact]
    public async Task Quit_AfterRset_DeletesNothing()
    {
        var driver = await SessionDriver.LoggedInAsync();
        await driver.SendAsync("DELE 1");
        await driver.SendAsync("RSET");
        Assert.Equal("Bye, 0 messages deleted.", (await driver.SendAsync("QUIT")).Text);
        Assert.Empty(driver.Maildrop.Deleted!);
    }

    [Fact]
    public async Task AnyCommand_AfterQuit_SessionClosed()
    {
        var driver = await SessionDriver.LoggedInAsync();
        await driver.SendAsync("QUIT");
        Assert.Equal(Pop3Replies.SessionClosed, await driver.SendAsync("STAT"));
        Assert.Equal(Pop3Replies.SessionClosed, (await driver.Session.LineTooLongAsync()));
        Assert.Equal(["COMMIT"], driver.Maildrop.Calls);
    }

    [Fact]
    public async Task Command_OneBackendCallEach()
    {
        var driver = await SessionDriver.LoggedInAsync();
        foreach (var line in new[] { "STAT", "LIST", "LIST 1", "UIDL", "UIDL 1", "RETR 1", "TOP 1 0", "DELE 1", "RSET", "NOOP", "CAPA", "QUIT" })
        {
            await driver.SendAsync(line);
        }

        Assert.Equal(["STAT", "LIST", "LIST 1", "LIST", "LIST 1", "FETCH 1", "FETCH 1", "DELE 1", "RSET", "NOOP", "COMMIT"], driver.Maildrop.Calls);
    }
}
