using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.Sasl;

/// <summary>The SASL mechanisms this server offers (RFC 5034 section 5: the CAPA SASL tag).</summary>
public static class SaslMechanisms
{
    /// <summary>RFC 4616.</summary>
    public const string Plain = "PLAIN";

    /// <summary>draft-murchison-sasl-login; what older clients offer.</summary>
    public const string Login = "LOGIN";

    /// <summary>RFC 7677.</summary>
    public const string ScramSha256 = "SCRAM-SHA-256";

    /// <summary>Mechanisms in order of preference; PLAIN and LOGIN only where cleartext auth is allowed.</summary>
    public static IReadOnlyList<string> Advertised(bool cleartextAllowed)
        => cleartextAllowed ? [ScramSha256, Plain, Login] : [ScramSha256];

    /// <summary>As <see cref="Advertised(bool)"/>, without SCRAM-SHA-256 when the password store keeps no SCRAM keys.</summary>
    public static IReadOnlyList<string> Advertised(bool cleartextAllowed, bool scram)
        => scram ? Advertised(cleartextAllowed) : cleartextAllowed ? [Plain, Login] : [];

    /// <summary>Whether <paramref name="name"/> sends the password itself.</summary>
    public static bool IsCleartext(string name) => name is Plain or Login;

    internal static ISaslMechanism? Create(string name, Pop3Options options) => name switch
    {
        Plain => new PlainMechanism(),
        Login => new LoginMechanism(),
        ScramSha256 when options.OfferScram => new ScramSha256Mechanism(options.ScramNonceFactory),
        _ => null,
    };
}
