using Pop3Gateway.Protocol.Session;
using Pop3Gateway.Protocol.Tests.Support;

namespace Pop3Gateway.Protocol.Tests.Session;

[CoversCommand("STLS")]
public sealed class StlsTests
{
    private static readonly Pop3Options Plaintext = new() { StlsAvailable = true, AllowCleartextAuth = false };

    [Fact]
    public async Task Stls_CertificateConfigured_AsksHostToStartTls()
    {
        var reply = await new SessionDriver(Plaintext).SendAsync("STLS");
        Assert.True(reply.IsOk);
        Assert.True(reply.StartTls);
    }

    [Fact]
    public async Task Stls_NoCertificate_Refused()
    {
        var reply = await new SessionDriver().SendAsync("STLS");
        Assert.Equal(Pop3Replies.TlsUnavailable, reply);
        Assert.False(reply.StartTls);
    }

    [Fact]
    public async Task Stls_AfterTls_Refused()
    {
        var driver = new SessionDriver(Plaintext);
        await driver.SendAsync("STLS");
        driver.Session.TlsStarted();
        Assert.Equal(Pop3Replies.TlsActive, await driver.SendAsync("STLS"));
    }

    [Fact]
    public async Task Stls_ImplicitTls_Refused()
    {
        var reply = await new SessionDriver(Plaintext with { IsTls = true }).SendAsync("STLS");
        Assert.Equal(Pop3Replies.TlsActive, reply);
    }

    [Fact]
    public async Task Capa_BeforeTls_StlsAndNoCleartext()
    {
        var reply = await new SessionDriver(Plaintext).SendAsync("CAPA");
        Assert.Contains("STLS", reply.Lines!);
        Assert.Contains("SASL SCRAM-SHA-256", reply.Lines!);
        Assert.DoesNotContain("USER", reply.Lines!);
    }

    [Fact]
    public async Task Capa_AfterTls_NoStlsAndCleartextOffered()
    {
        var driver = new SessionDriver(Plaintext);
        await driver.SendAsync("STLS");
        driver.Session.TlsStarted();
        var reply = await driver.SendAsync("CAPA");
        Assert.DoesNotContain("STLS", reply.Lines!);
        Assert.Contains("USER", reply.Lines!);
        Assert.Contains("SASL SCRAM-SHA-256 PLAIN LOGIN", reply.Lines!);
    }

    [Fact]
    public async Task UserPass_Cleartext_RefusedThenAcceptedAfterTls()
    {
        var driver = new SessionDriver(Plaintext);
        Assert.Equal(Pop3Replies.CleartextRefused, await driver.SendAsync("USER alice"));
        Assert.Equal(Pop3Replies.CleartextRefused, await driver.SendAsync("PASS secret"));
        Assert.Empty(driver.Backend.Logins);
        await driver.SendAsync("STLS");
        driver.Session.TlsStarted();
        Assert.True(driver.Session.IsTls);
        await driver.LoginAsync();
    }

    [Fact]
    public async Task Stls_ForgetsPendingUser()
    {
        var driver = new SessionDriver(Plaintext with { AllowCleartextAuth = true });
        await driver.SendAsync("USER alice");
        await driver.SendAsync("STLS");
        driver.Session.TlsStarted();
        Assert.Equal(Pop3Replies.UserFirst, await driver.SendAsync("PASS secret"));
    }

    [Fact]
    [CoversCommand("UTF8")]
    public async Task Utf8_Acknowledged_AndUtf8LoginPassedThrough()
    {
        var driver = new SessionDriver();
        Assert.Equal(Pop3Replies.Utf8Enabled, await driver.SendAsync("UTF8"));
        await driver.Session.HandleLineAsync(new(System.Text.Encoding.UTF8.GetBytes("USER jürgen")), CancellationToken.None);
        await driver.Session.HandleLineAsync(new(System.Text.Encoding.UTF8.GetBytes("PASS pässwörd")), CancellationToken.None);
        Assert.Equal(("jürgen", "pässwörd"), (driver.Backend.Logins[0].User.Login, driver.Backend.Logins[0].Password));
    }
}
