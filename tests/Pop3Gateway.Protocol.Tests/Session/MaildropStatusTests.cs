using Pop3Gateway.Protocol.Backend;
using Pop3Gateway.Protocol.Session;
using Pop3Gateway.Protocol.Tests.Support;

namespace Pop3Gateway.Protocol.Tests.Session;

/// <summary>How every maildrop failure becomes a reply, for every command that calls the maildrop.</summary>
public sealed class MaildropStatusTests
{
    public static TheoryData<string> MaildropCommands => ["STAT", "LIST", "LIST 1", "UIDL", "UIDL 1", "RETR 1", "TOP 1 1", "DELE 1", "RSET", "NOOP"];

    [Theory]
    [MemberData(nameof(MaildropCommands))]
    public async Task Command_SessionLost_InUseAndClose(string line)
    {
        var driver = await SessionDriver.LoggedInAsync();
        driver.Maildrop.FailWith = MaildropStatus.SessionLost;
        var reply = await driver.SendAsync(line);
        Assert.Equal("[IN-USE] Session ended by a newer login or lock expired.", reply.Text);
        Assert.False(reply.IsOk);
        Assert.True(reply.CloseConnection);
        Assert.True(driver.Session.IsClosed);
    }

    [Theory]
    [MemberData(nameof(MaildropCommands))]
    public async Task Command_Unavailable_SysTempAndGoesOn(string line)
    {
        var driver = await SessionDriver.LoggedInAsync();
        driver.Maildrop.FailWith = MaildropStatus.Unavailable;
        var reply = await driver.SendAsync(line);
        Assert.StartsWith("[SYS/TEMP] ", reply.Text);
        Assert.False(reply.CloseConnection);

        driver.Maildrop.FailWith = null;
        Assert.True((await driver.SendAsync(line)).IsOk);
    }

    [Theory]
    [InlineData("STAT")]
    [InlineData("LIST")]
    [InlineData("UIDL")]
    [InlineData("RSET")]
    [InlineData("NOOP")]
    public async Task CommandWithoutNumber_PerMessageStatus_TreatedAsUnavailable(string line)
    {
        var driver = await SessionDriver.LoggedInAsync();
        driver.Maildrop.FailWith = MaildropStatus.NoSuchMessage;
        Assert.Equal(Pop3Replies.Unavailable, await driver.SendAsync(line));
    }

    [Theory]
    [InlineData("LIST 1")]
    [InlineData("UIDL 1")]
    [InlineData("RETR 1")]
    [InlineData("TOP 1 1")]
    [InlineData("DELE 1")]
    public async Task CommandWithNumber_NoSuchMessage_Error(string line)
    {
        var driver = await SessionDriver.LoggedInAsync();
        driver.Maildrop.FailWith = MaildropStatus.NoSuchMessage;
        Assert.Equal(Pop3Replies.NoSuchMessage, await driver.SendAsync(line));
    }

    [Fact]
    public async Task Quit_CommitUnavailable_SysTempCloseNothingDeleted()
    {
        var driver = await SessionDriver.LoggedInAsync();
        await driver.SendAsync("DELE 1");
        driver.Maildrop.FailWith = MaildropStatus.Unavailable;
        var reply = await driver.SendAsync("QUIT");
        Assert.Equal(Pop3Replies.CommitFailed, reply);
        Assert.StartsWith("[SYS/TEMP] ", reply.Text);
        Assert.True(reply.CloseConnection);
        Assert.Null(driver.Maildrop.Deleted);
        Assert.Equal(Pop3State.Update, driver.Session.State);
    }

    [Fact]
    public async Task Quit_CommitOutcomeUnknown_SaysSoAndCloses()
    {
        var driver = await SessionDriver.LoggedInAsync();
        await driver.SendAsync("DELE 1");
        driver.Maildrop.FailWith = MaildropStatus.OutcomeUnknown;
        var reply = await driver.SendAsync("QUIT");
        Assert.Equal(Pop3Replies.CommitUnknown, reply);
        Assert.False(reply.IsOk);
        Assert.StartsWith("[SYS/TEMP] ", reply.Text);
        Assert.Contains("may or may not", reply.Text, StringComparison.Ordinal);
        Assert.True(reply.CloseConnection);
    }

    [Fact]
    public async Task Quit_CommitSessionLost_InUseAndClose()
    {
        var driver = await SessionDriver.LoggedInAsync();
        driver.Maildrop.FailWith = MaildropStatus.SessionLost;
        Assert.Equal(Pop3Replies.SessionLost, await driver.SendAsync("QUIT"));
    }

    [Fact]
    public async Task Command_AfterSessionLost_SessionClosedWithoutBackendCall()
    {
        var driver = await SessionDriver.LoggedInAsync();
        driver.Maildrop.FailWith = MaildropStatus.SessionLost;
        await driver.SendAsync("NOOP");
        driver.Maildrop.FailWith = null;
        Assert.Equal(Pop3Replies.SessionClosed, await driver.SendAsync("STAT"));
        Assert.Equal(["NOOP"], driver.Maildrop.Calls);
    }
}
