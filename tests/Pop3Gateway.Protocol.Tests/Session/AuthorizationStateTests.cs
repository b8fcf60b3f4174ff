using Pop3Gateway.Protocol.Session;
using Pop3Gateway.Protocol.Tests.Support;

namespace Pop3Gateway.Protocol.Tests.Session;

[CoversCommand("USER")]
[CoversCommand("PASS")]
[CoversCommand("QUIT")]
public sealed class AuthorizationStateTests
{
    [Fact]
    public void Greeting_Ok()
    {
        var greeting = new SessionDriver().Session.Greeting();
        Assert.True(greeting.IsOk);
        Assert.Equal("Pop3Gateway ready.", greeting.Text);
    }

    [Fact]
    public void NewSession_Authorization()
    {
        var session = new SessionDriver().Session;
        Assert.Equal(Pop3State.Authorization, session.State);
        Assert.Null(session.Mailbox);
    }

    [Fact]
    public async Task UserPass_ValidCredentials_Transaction()
    {
        var driver = new SessionDriver();
        Assert.Equal(Pop3Replies.UserAccepted, await driver.SendAsync("USER alice"));
        var reply = await driver.SendAsync("PASS secret");
        Assert.Equal("+OK Logged in.", $"+OK {reply.Text}");
        Assert.Equal(Pop3State.Transaction, driver.Session.State);
        Assert.Equal("alice", driver.Session.Mailbox);
        Assert.Equal(new Pop3UserName(null, "alice", null), driver.Backend.Logins.Single().User);
    }

    [Fact]
    public async Task User_UnknownAccount_StillOk()
    {
        Assert.True((await new SessionDriver().SendAsync("USER nobody")).IsOk);
    }

    [Fact]
    public async Task Pass_PasswordWithSpaces_PassedVerbatim()
    {
        var driver = new SessionDriver();
        await driver.SendAsync("USER alice");
        await driver.SendAsync("PASS  two words ");
        Assert.Equal(" two words ", driver.Backend.Logins.Single().Password);
    }

    [Fact]
    public async Task User_MailboxAlias_OpensGrantedMailbox()
    {
        var driver = new SessionDriver();
        await driver.LoginAsync("alice\\sales");
        Assert.Equal("sales", driver.Session.Mailbox);
    }

    [Theory]
    [InlineData("nobody", "secret")]
    [InlineData("alice", "wrong")]
    public async Task Pass_BadCredentials_SameAuthError(string user, string password)
    {
        var driver = new SessionDriver();
        await driver.SendAsync($"USER {user}");
        var reply = await driver.SendAsync($"PASS {password}");
        Assert.Equal("[AUTH] Authentication failed.", reply.Text);
        Assert.False(reply.IsOk);
        Assert.False(reply.CloseConnection);
        Assert.Equal(Pop3State.Authorization, driver.Session.State);
    }

    [Fact]
    public async Task Pass_MailboxLocked_InUse()
    {
        var driver = new SessionDriver();
        await driver.SendAsync("USER bob");
        Assert.Equal("[IN-USE] Mailbox is locked by another session.", (await driver.SendAsync("PASS secret")).Text);
        Assert.Equal(Pop3State.Authorization, driver.Session.State);
    }

    [Fact]
    public async Task Pass_BackendUnavailable_SysTemp()
    {
        var driver = new SessionDriver();
        await driver.SendAsync("USER carol");
        var reply = await driver.SendAsync("PASS secret");
        Assert.StartsWith("[SYS/TEMP] ", reply.Text);
        Assert.False(reply.CloseConnection);
    }

    [Fact]
    public async Task Pass_AfterFailure_NeedsUserAgain()
    {
        var driver = new SessionDriver();
        await driver.SendAsync("USER alice");
        await driver.SendAsync("PASS wrong");
        Assert.Equal(Pop3Replies.UserFirst, await driver.SendAsync("PASS secret"));
        Assert.Single(driver.Backend.Logins);
    }

    [Fact]
    public async Task Pass_WithoutUser_UserFirst()
    {
        var driver = new SessionDriver();
        Assert.Equal("USER first.", (await driver.SendAsync("PASS secret")).Text);
        Assert.Empty(driver.Backend.Logins);
    }

    [Fact]
    public async Task User_Twice_LastOneWins()
    {
        var driver = new SessionDriver();
        await driver.SendAsync("USER nobody");
        await driver.SendAsync("USER alice");
        Assert.True((await driver.SendAsync("PASS secret")).IsOk);
    }

    [Fact]
    public async Task User_Invalid_ErrorAndForgetsEarlierUser()
    {
        var driver = new SessionDriver();
        await driver.SendAsync("USER alice");
        Assert.Equal("Invalid user name: empty part", (await driver.SendAsync("USER alice\\")).Text);
        Assert.Equal(Pop3Replies.UserFirst, await driver.SendAsync("PASS secret"));
    }

    [Theory]
    [InlineData("USER", "USER requires a user name.")]
    [InlineData("USER a b", "Too many arguments for USER.")]
    [InlineData("PASS", "PASS requires a password.")]
    [InlineData("PASS ", "PASS requires a password.")]
    [InlineData("QUIT now", "Too many arguments for QUIT.")]
    public async Task Command_WrongArgumentCount_PreciseError(string line, string expected)
    {
        var reply = await new SessionDriver().SendAsync(line);
        Assert.False(reply.IsOk);
        Assert.Equal(expected, reply.Text);
    }

    [Fact]
    public async Task Quit_BeforeLogin_ByeAndClose()
    {
        var driver = new SessionDriver();
        var reply = await driver.SendAsync("QUIT");
        Assert.Equal("+OK Bye.", $"+OK {reply.Text}");
        Assert.True(reply.CloseConnection);
        Assert.True(driver.Session.IsClosed);
        Assert.Equal(Pop3Replies.SessionClosed, await driver.SendAsync("NOOP"));
    }

    [Theory]
    [InlineData("STAT")]
    [InlineData("LIST")]
    [InlineData("UIDL")]
    [InlineData("RETR 1")]
    [InlineData("TOP 1 1")]
    [InlineData("DELE 1")]
    [InlineData("RSET")]
    [InlineData("NOOP")]
    public async Task TransactionCommand_BeforeLogin_NotValid(string line)
    {
        var reply = await new SessionDriver().SendAsync(line);
        Assert.Equal($"{line.Split(' ')[0]} is not valid before login.", reply.Text);
        Assert.False(reply.IsOk);
    }

    [Fact]
    public async Task UnknownCommand_EchoedSanitized()
    {
        var reply = await new SessionDriver().SendAsync("XYZ\u00e9 1");
        Assert.Equal("8-bit data in command name.", reply.Text);
        Assert.Equal("Unknown command: APOP", (await new SessionDriver().SendAsync("apop alice x")).Text);
        Assert.Equal("Unknown command: " + new string('Z', 64) + "...", (await new SessionDriver().SendAsync(new string('z', 300))).Text);
    }

    [Fact]
    public async Task LastCommand_TracksKnownKeywords()
    {
        var driver = new SessionDriver();
        await driver.SendAsync("user alice");
        Assert.Equal("USER", driver.Session.LastCommand);
        await driver.SendAsync("FOO");
        Assert.Null(driver.Session.LastCommand);
    }
}
