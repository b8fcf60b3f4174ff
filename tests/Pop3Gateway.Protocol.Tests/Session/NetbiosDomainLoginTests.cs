using System.Text;
using Pop3Gateway.Protocol.Session;
using Pop3Gateway.Protocol.Tests.Support;

namespace Pop3Gateway.Protocol.Tests.Session;

/// <summary>USER and the SASL mechanisms read <c>CORP\alice</c> with the session's NetBIOS domains.</summary>
public sealed class NetbiosDomainLoginTests
{
    private static readonly Pop3Options WithCorp = new() { NetbiosDomains = ["CORP"] };

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Theory]
    [InlineData(@"CORP\alice", "CORP", null, "alice")]
    [InlineData(@"corp\alice\sales", "corp", "sales", "sales")]
    [InlineData(@"alice\sales", null, "sales", "sales")]
    public async Task UserPass_NetbiosDomainConfigured_LoginOpensMailbox(string value, string? domain, string? alias, string mailbox)
    {
        var driver = new SessionDriver(WithCorp);
        await driver.SendAsync("USER " + value);
        var reply = await driver.SendAsync("PASS " + FakeBackend.Password);

        Assert.Equal(Pop3Replies.LoggedIn, reply);
        Assert.Equal(mailbox, driver.Session.Mailbox);
        Assert.Equal(new Pop3UserName(domain, "alice", alias), driver.Backend.Logins.Single().User);
    }

    [Fact]
    public async Task UserPass_NoNetbiosDomains_PrefixIsLoginAsBefore()
    {
        var driver = new SessionDriver();
        await driver.SendAsync(@"USER CORP\alice");
        await driver.SendAsync("PASS " + FakeBackend.Password);

        Assert.Equal(Pop3State.Authorization, driver.Session.State);
        Assert.Equal(new Pop3UserName(null, "CORP", "alice"), driver.Backend.Logins.Single().User);
    }

    [Fact]
    public async Task AuthPlain_NetbiosDomainConfigured_BackendGetsLogin()
    {
        var driver = new SessionDriver(WithCorp);
        var reply = await driver.SendAsync("AUTH PLAIN " + B64("\0CORP\\alice\0" + FakeBackend.Password));

        Assert.Equal(Pop3Replies.LoggedIn, reply);
        Assert.Equal(new Pop3UserName("CORP", "alice", null), driver.Backend.Logins.Single().User);
    }

    [Fact]
    public async Task AuthLogin_NetbiosDomainConfigured_BackendGetsLogin()
    {
        var driver = new SessionDriver(WithCorp);
        await driver.SendAsync("AUTH LOGIN");
        await driver.SendAsync(B64(@"CORP\alice\sales"));
        var reply = await driver.SendAsync(B64(FakeBackend.Password));

        Assert.Equal(Pop3Replies.LoggedIn, reply);
        Assert.Equal("sales", driver.Session.Mailbox);
        Assert.Equal(new Pop3UserName("CORP", "alice", "sales"), driver.Backend.Logins.Single().User);
    }
}
