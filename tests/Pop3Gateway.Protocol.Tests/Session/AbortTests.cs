using Pop3Gateway.Protocol.Backend;
using Pop3Gateway.Protocol.Tests.Support;

namespace Pop3Gateway.Protocol.Tests.Session;

public sealed class AbortTests
{
    [Fact]
    public async Task AbortAsync_BeforeLogin_NoBackendCall()
    {
        var driver = new SessionDriver();
        await driver.Session.AbortAsync();
        Assert.True(driver.Session.IsClosed);
        Assert.Null(driver.Backend.Opened);
    }

    [Fact]
    public async Task AbortAsync_LoggedIn_ReleasesWithoutCommit()
    {
        var driver = await SessionDriver.LoggedInAsync();
        await driver.SendAsync("DELE 1");
        await driver.Session.AbortAsync();
        Assert.Equal(["DELE 1", "RELEASE"], driver.Maildrop.Calls);
        Assert.Null(driver.Maildrop.Deleted);
    }

    [Fact]
    public async Task AbortAsync_Twice_ReleasesOnce()
    {
        var driver = await SessionDriver.LoggedInAsync();
        await driver.Session.AbortAsync();
        await driver.Session.AbortAsync();
        Assert.Equal(1, driver.Maildrop.ReleaseCount);
    }

    [Fact]
    public async Task AbortAsync_AfterCommittedQuit_DoesNothing()
    {
        var driver = await SessionDriver.LoggedInAsync();
        await driver.SendAsync("QUIT");
        await driver.Session.AbortAsync();
        Assert.Equal(0, driver.Maildrop.ReleaseCount);
    }

    [Fact]
    public async Task AbortAsync_AfterFailedCommit_Releases()
    {
        var driver = await SessionDriver.LoggedInAsync();
        driver.Maildrop.FailWith = MaildropStatus.Unavailable;
        await driver.SendAsync("QUIT");
        await driver.Session.AbortAsync();
        Assert.Equal(1, driver.Maildrop.ReleaseCount);
    }

    [Fact]
    public async Task AbortAsync_AfterTooManyBadCommands_Releases()
    {
        var driver = await SessionDriver.LoggedInAsync(new Protocol.Pop3Options { MaxBadCommands = 1 });
        Assert.True((await driver.SendAsync("BOGUS")).CloseConnection);
        await driver.Session.AbortAsync();
        Assert.Equal(1, driver.Maildrop.ReleaseCount);
    }

    [Fact]
    public async Task HandleLineAsync_AfterAbort_SessionClosed()
    {
        var driver = await SessionDriver.LoggedInAsync();
        await driver.Session.AbortAsync();
        Assert.True((await driver.SendAsync("STAT")).CloseConnection);
        Assert.Equal(["RELEASE"], driver.Maildrop.Calls);
    }
}
