using Pop3Gateway.Protocol.Tests.Support;

namespace Pop3Gateway.Protocol.Tests.Session;

/// <summary>With passwords checked by a directory, SCRAM-SHA-256 is neither advertised nor accepted; PLAIN and LOGIN stay.</summary>
public sealed class ScramOfferTests
{
    private static readonly Pop3Options NoScram = new() { OfferScram = false };

    [Fact]
    public async Task Capa_ScramOff_SaslPlainAndLoginOnly()
    {
        var reply = await new SessionDriver(NoScram).SendAsync("CAPA");

        Assert.Equal(["TOP", "UIDL", "USER", "SASL PLAIN LOGIN", "UTF8 USER", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING", "IMPLEMENTATION Pop3Gateway"], reply.Lines);
    }

    [Fact]
    public async Task Capa_ScramOffAndNoCleartext_NoSaslLine()
    {
        var reply = await new SessionDriver(NoScram with { AllowCleartextAuth = false }).SendAsync("CAPA");

        Assert.DoesNotContain(reply.Lines!, line => line.StartsWith("SASL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Auth_ScramOff_MechanismListWithoutScramAndScramRefused()
    {
        var driver = new SessionDriver(NoScram);

        var list = await driver.SendAsync("AUTH");
        var scram = await driver.SendAsync("AUTH SCRAM-SHA-256");

        Assert.Equal(["PLAIN", "LOGIN"], list.Lines);
        Assert.False(scram.IsOk);
    }
}
