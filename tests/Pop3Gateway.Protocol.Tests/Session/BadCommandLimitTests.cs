using Pop3Gateway.Protocol.Session;
using Pop3Gateway.Protocol.Tests.Support;

namespace Pop3Gateway.Protocol.Tests.Session;

public sealed class BadCommandLimitTests
{
    [Fact]
    public async Task BadCommands_NineteenInARow_SessionGoesOn()
    {
        var driver = new SessionDriver();
        for (var i = 0; i < 19; i++)
        {
            Assert.False((await driver.SendAsync("BOGUS")).CloseConnection);
        }

        Assert.Equal(19, driver.Session.BadCommandsInARow);
        Assert.True((await driver.SendAsync("CAPA")).IsOk);
    }

    [Fact]
    public async Task BadCommands_TwentiethInARow_Closes()
    {
        var driver = new SessionDriver();
        for (var i = 0; i < 19; i++)
        {
            await driver.SendAsync("BOGUS");
        }

        var reply = await driver.SendAsync("BOGUS");
        Assert.Equal("Too many bad commands; closing the connection.", reply.Text);
        Assert.True(reply.CloseConnection);
        Assert.Equal(Pop3Replies.SessionClosed, await driver.SendAsync("CAPA"));
    }

    [Fact]
    public async Task BadCommands_EveryKind_Counts()
    {
        var driver = new SessionDriver(new Pop3Options { MaxBadCommands = 7 });
        string[] bad = ["BOGUS", "STAT", "USER", "", "NOOP\0", "PASS secret"];
        foreach (var line in bad)
        {
            Assert.False((await driver.SendAsync(line)).CloseConnection, line);
        }

        Assert.True((await driver.Session.LineTooLongAsync()).CloseConnection);
    }

    [Fact]
    public async Task BadCommands_ArgumentErrorsAfterLogin_Count()
    {
        var driver = await SessionDriver.LoggedInAsync(new Pop3Options { MaxBadCommands = 4 });
        await driver.SendAsync("RETR x");
        await driver.SendAsync("DELE 9");
        await driver.SendAsync("USER alice");
        Assert.True((await driver.SendAsync("TOP 1 -1")).CloseConnection);
    }

    [Fact]
    public async Task BadCommands_SuccessfulCommand_ResetsCount()
    {
        var driver = new SessionDriver(new Pop3Options { MaxBadCommands = 3 });
        await driver.SendAsync("BOGUS");
        await driver.SendAsync("BOGUS");
        await driver.SendAsync("CAPA");
        Assert.Equal(0, driver.Session.BadCommandsInARow);
        await driver.SendAsync("BOGUS");
        Assert.False((await driver.SendAsync("BOGUS")).CloseConnection);
    }

    [Fact]
    public async Task AuthenticationFailures_DoNotCount()
    {
        var driver = new SessionDriver(new Pop3Options { MaxBadCommands = 2 });
        await driver.SendAsync("BOGUS");
        for (var i = 0; i < 5; i++)
        {
            await driver.SendAsync("USER alice");
            Assert.False((await driver.SendAsync("PASS wrong")).CloseConnection);
        }

        Assert.Equal(0, driver.Session.BadCommandsInARow);
    }

    [Fact]
    public async Task Unavailable_DoesNotCount()
    {
        var driver = await SessionDriver.LoggedInAsync(new Pop3Options { MaxBadCommands = 2 });
        await driver.SendAsync("BOGUS");
        driver.Maildrop.FailWith = Pop3Gateway.Protocol.Backend.MaildropStatus.Unavailable;
        await driver.SendAsync("STAT");
        Assert.Equal(1, driver.Session.BadCommandsInARow);
    }

    [Fact]
    public async Task LineTooLong_Error()
    {
        var reply = await new SessionDriver().Session.LineTooLongAsync();
        Assert.Equal(Pop3Replies.LineTooLong, reply);
        Assert.False(reply.CloseConnection);
    }

    [Fact]
    public async Task BadCommands_LimitZero_NeverCloses()
    {
        var driver = new SessionDriver(new Pop3Options { MaxBadCommands = 0 });
        for (var i = 0; i < 50; i++)
        {
            Assert.False((await driver.SendAsync("BOGUS")).CloseConnection);
        }
    }
}
