using System.Text;
using Pop3Gateway.Protocol.Session;
using Pop3Gateway.Protocol.Tests.Support;

namespace Pop3Gateway.Protocol.Tests.Session;

[CoversCommand("AUTH")]
public sealed class SaslTests
{
    // RFC 7677 section 3.
    private const string ClientNonce = "rOprNGfwEbeRWgbNEkqO";
    private const string ServerNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private const string ClientFirst = "n,,n=user,r=" + ClientNonce;
    private const string ServerFirst = "r=" + ClientNonce + ServerNonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private const string ClientFinal = "c=biws,r=" + ClientNonce + ServerNonce + ",p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private const string ServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Decode(Pop3Reply reply)
    {
        Assert.True(reply.IsContinuation, reply.Text);
        return Encoding.UTF8.GetString(Convert.FromBase64String(reply.Text));
    }

    private static SessionDriver ScramDriver() => new(new Pop3Options { ScramNonceFactory = () => ServerNonce });

    [Fact]
    public async Task Auth_NoArgument_ListsMechanisms()
    {
        var reply = await new SessionDriver().SendAsync("AUTH");
        Assert.True(reply.IsOk);
        Assert.Equal(["SCRAM-SHA-256", "PLAIN", "LOGIN"], reply.Lines);
    }

    [Fact]
    public async Task Auth_NoArgumentWithoutCleartext_ListsScramOnly()
    {
        var reply = await new SessionDriver(new Pop3Options { AllowCleartextAuth = false }).SendAsync("AUTH");
        Assert.Equal(["SCRAM-SHA-256"], reply.Lines);
    }

    [Fact]
    public async Task Scram_Rfc7677Example_ServerFinalMatches()
    {
        var driver = ScramDriver();
        Assert.Equal(ServerFirst, Decode(await driver.SendAsync("AUTH SCRAM-SHA-256 " + B64(ClientFirst))));
        Assert.Equal(ServerFinal, Decode(await driver.SendAsync(B64(ClientFinal))));
        Assert.Equal(Pop3State.Authorization, driver.Session.State);
        var done = await driver.SendAsync("");
        Assert.Equal(Pop3Replies.LoggedIn, done);
        Assert.Equal(Pop3State.Transaction, driver.Session.State);
        Assert.Equal(
            "n=user,r=" + ClientNonce + "," + ServerFirst + ",c=biws,r=" + ClientNonce + ServerNonce,
            Assert.Single(driver.Backend.ScramAuthMessages));
    }

    [Fact]
    public async Task Scram_WithoutInitialResponse_EmptyChallengeFirst()
    {
        var driver = ScramDriver();
        var first = await driver.SendAsync("AUTH SCRAM-SHA-256");
        Assert.True(first.IsContinuation);
        Assert.Equal("", first.Text);
        Assert.Equal(ServerFirst, Decode(await driver.SendAsync(B64(ClientFirst))));
        Assert.Equal(ServerFinal, Decode(await driver.SendAsync(B64(ClientFinal))));
        Assert.True((await driver.SendAsync("")).IsOk);
    }

    [Fact]
    public async Task Scram_WrongProof_AuthFailure()
    {
        var driver = ScramDriver();
        await driver.SendAsync("AUTH SCRAM-SHA-256 " + B64(ClientFirst));
        var wrong = ClientFinal.Replace("p=dHzb", "p=eHzb", StringComparison.Ordinal);
        Assert.Equal(Pop3Replies.AuthenticationFailed, await driver.SendAsync(B64(wrong)));
        Assert.False(driver.Session.InSaslExchange);
    }

    [Fact]
    public async Task Scram_NonceMismatch_Malformed()
    {
        var driver = ScramDriver();
        await driver.SendAsync("AUTH SCRAM-SHA-256 " + B64(ClientFirst));
        var final = ClientFinal.Replace(ServerNonce, "other", StringComparison.Ordinal);
        Assert.Equal(Pop3Replies.SaslMalformed, await driver.SendAsync(B64(final)));
        Assert.Empty(driver.Backend.ScramAuthMessages);
    }

    [Fact]
    public async Task Scram_ChannelBindingRequested_Malformed()
    {
        var reply = await ScramDriver().SendAsync("AUTH SCRAM-SHA-256 " + B64("p=tls-unique,,n=user,r=abc"));
        Assert.Equal(Pop3Replies.SaslMalformed, reply);
    }

    [Fact]
    public async Task Scram_CancelAfterServerFinal_ReleasesMailbox()
    {
        var driver = ScramDriver();
        await driver.SendAsync("AUTH SCRAM-SHA-256 " + B64(ClientFirst));
        await driver.SendAsync(B64(ClientFinal));
        Assert.Equal(Pop3Replies.AuthCancelled, await driver.SendAsync("*"));
        Assert.Equal(["RELEASE"], driver.Maildrop.Calls);
        Assert.Equal(Pop3State.Authorization, driver.Session.State);
    }

    [Fact]
    public async Task Scram_AbortAfterServerFinal_ReleasesMailbox()
    {
        var driver = ScramDriver();
        await driver.SendAsync("AUTH SCRAM-SHA-256 " + B64(ClientFirst));
        await driver.SendAsync(B64(ClientFinal));
        await driver.Session.AbortAsync();
        Assert.Equal(["RELEASE"], driver.Maildrop.Calls);
    }

    [Fact]
    public async Task Plain_InitialResponse_LogsIn()
    {
        var driver = new SessionDriver();
        Assert.Equal(Pop3Replies.LoggedIn, await driver.SendAsync("AUTH PLAIN " + B64("\0alice\0secret")));
        Assert.Equal(("alice", "secret"), (driver.Backend.Logins[0].User.Login, driver.Backend.Logins[0].Password));
    }

    [Fact]
    public async Task Plain_Continuation_LogsIn()
    {
        var driver = new SessionDriver();
        var challenge = await driver.SendAsync("auth plain");
        Assert.True(challenge.IsContinuation);
        Assert.Equal(Pop3Replies.LoggedIn, await driver.SendAsync(B64("alice\0alice\0secret")));
    }

    [Fact]
    public async Task Plain_AuthorizationIdentity_OpensGrantedMailbox()
    {
        var driver = new SessionDriver();
        Assert.True((await driver.SendAsync("AUTH PLAIN " + B64("sales\0alice\0secret"))).IsOk);
        Assert.Equal("sales", driver.Session.Mailbox);
    }

    [Fact]
    public async Task Plain_WrongPassword_AuthFailure()
    {
        var reply = await new SessionDriver().SendAsync("AUTH PLAIN " + B64("\0alice\0nope"));
        Assert.Equal(Pop3Replies.AuthenticationFailed, reply);
    }

    [Fact]
    public async Task Plain_EmptyInitialResponse_AuthFailure()
    {
        var driver = new SessionDriver();
        Assert.Equal(Pop3Replies.AuthenticationFailed, await driver.SendAsync("AUTH PLAIN ="));
        Assert.Empty(driver.Backend.Logins);
    }

    [Fact]
    public async Task Plain_MalformedBase64InitialResponse_Error()
    {
        var driver = new SessionDriver();
        Assert.Equal(Pop3Replies.InvalidBase64, await driver.SendAsync("AUTH PLAIN AGFsaWNl=A"));
        Assert.False(driver.Session.InSaslExchange);
        Assert.Equal(Pop3Replies.UserAccepted, await driver.SendAsync("USER alice"));
    }

    [Fact]
    public async Task Plain_CleartextNotAllowed_Refused()
    {
        var driver = new SessionDriver(new Pop3Options { AllowCleartextAuth = false });
        Assert.Equal(Pop3Replies.CleartextRefused, await driver.SendAsync("AUTH PLAIN " + B64("\0alice\0secret")));
        Assert.Empty(driver.Backend.Logins);
    }

    [Fact]
    public async Task Login_TwoPrompts_LogsIn()
    {
        var driver = new SessionDriver();
        Assert.Equal("Username:", Decode(await driver.SendAsync("AUTH LOGIN")));
        Assert.Equal("Password:", Decode(await driver.SendAsync(B64("alice"))));
        Assert.Equal(Pop3Replies.LoggedIn, await driver.SendAsync(B64("secret")));
    }

    [Fact]
    public async Task Login_InitialResponseIsUserName()
    {
        var driver = new SessionDriver();
        Assert.Equal("Password:", Decode(await driver.SendAsync("AUTH LOGIN " + B64("alice"))));
        Assert.Equal(Pop3Replies.LoggedIn, await driver.SendAsync(B64("secret")));
    }

    [Fact]
    public async Task Auth_Cancel_ErrAndBackToCommands()
    {
        var driver = new SessionDriver();
        await driver.SendAsync("AUTH LOGIN");
        Assert.Equal(Pop3Replies.AuthCancelled, await driver.SendAsync("*"));
        Assert.True((await driver.SendAsync("CAPA")).IsOk);
    }

    [Fact]
    public async Task Auth_UnknownMechanism_Error()
    {
        var reply = await new SessionDriver().SendAsync("AUTH CRAM-MD5");
        Assert.Equal("Unsupported SASL mechanism: CRAM-MD5", reply.Text);
    }

    [Fact]
    public async Task Auth_LineOver255Octets_Error()
    {
        var driver = new SessionDriver();
        var initial = B64("\0alice\0" + new string('x', 200));
        Assert.True(("AUTH PLAIN " + initial).Length + 2 > 255);
        Assert.Equal(Pop3Replies.AuthLineTooLong, await driver.SendAsync("AUTH PLAIN " + initial));
        Assert.Empty(driver.Backend.Logins);
    }

    [Fact]
    public async Task Auth_LineTooLongDuringExchange_EndsExchange()
    {
        var driver = new SessionDriver();
        await driver.SendAsync("AUTH LOGIN");
        Assert.Equal(Pop3Replies.LineTooLong, await driver.Session.LineTooLongAsync());
        Assert.False(driver.Session.InSaslExchange);
    }

    [Fact]
    public async Task Auth_AfterLogin_NotValid()
    {
        var driver = await SessionDriver.LoggedInAsync();
        Assert.Equal(Pop3Replies.NotValidAfterLogin("AUTH"), await driver.SendAsync("AUTH PLAIN ="));
    }
}
