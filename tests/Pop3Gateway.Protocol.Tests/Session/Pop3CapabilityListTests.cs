using Pop3Gateway.Protocol.Session;
using Pop3Gateway.Protocol.Tests.Support;

namespace Pop3Gateway.Protocol.Tests.Session;

[CoversCommand("CAPA")]
public sealed class Pop3CapabilityListTests
{
    [Fact]
    public async Task Capa_BeforeLogin_IncludesUser()
    {
        var reply = await new SessionDriver().SendAsync("CAPA");
        Assert.True(reply.IsOk);
        Assert.Equal(["TOP", "UIDL", "USER", "SASL SCRAM-SHA-256 PLAIN LOGIN", "UTF8 USER", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING", "IMPLEMENTATION Pop3Gateway"], reply.Lines);
    }

    [Fact]
    public async Task Capa_AfterLogin_OmitsUser()
    {
        var driver = await SessionDriver.LoggedInAsync();
        var reply = await driver.SendAsync("capa");
        Assert.Equal(["TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING", "IMPLEMENTATION Pop3Gateway"], reply.Lines);
        Assert.Empty(driver.Maildrop.Calls);
    }

    [Fact]
    public async Task Capa_CustomImplementation_Advertised()
    {
        var reply = await new SessionDriver(new Pop3Options { Implementation = "Test 1.0" }).SendAsync("CAPA");
        Assert.Contains("IMPLEMENTATION Test 1.0", reply.Lines!);
    }

    [Fact]
    public async Task Capa_WithArgument_Rejected()
    {
        var reply = await new SessionDriver().SendAsync("CAPA X");
        Assert.Equal("Too many arguments for CAPA.", reply.Text);
    }

    [Fact]
    public void Enabled_Update_OmitsUser()
    {
        Assert.False(Pop3CapabilityList.Enabled(new Pop3Options(), Pop3State.Update).HasFlag(Pop3Capabilities.User));
    }

    [Fact]
    public void Lines_None_Empty()
    {
        Assert.Empty(Pop3CapabilityList.Lines(Pop3Capabilities.None, "x"));
    }
}
