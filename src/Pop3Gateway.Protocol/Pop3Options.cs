namespace Pop3Gateway.Protocol;

/// <summary>Protocol settings for one connection (configuration section <c>Pop3</c>, plus what the host knows about the connection).</summary>
public sealed record Pop3Options
{
    /// <summary>Longest command line accepted, CRLF included. RFC 2449 requires at least 255.</summary>
    public int MaxLineLength { get; init; } = 1024;

    /// <summary>Bad commands in a row after which the session is closed.</summary>
    public int MaxBadCommands { get; init; } = 20;

    /// <summary>Advertised in CAPA as IMPLEMENTATION.</summary>
    public string Implementation { get; init; } = "Pop3Gateway";

    /// <summary>
    /// Whether cleartext credentials (USER/PASS, SASL PLAIN and LOGIN) are accepted before TLS:
    /// the host sets it for clients in <c>Security:TrustedNetworks</c> or when <c>Security:AllowCleartextAuth</c> is true.
    /// Once the connection is TLS they are accepted regardless.
    /// </summary>
    public bool AllowCleartextAuth { get; init; } = true;

    /// <summary>The connection is TLS from the start (implicit TLS, RFC 8314).</summary>
    public bool IsTls { get; init; }

    /// <summary>A certificate is configured, so STLS is offered on a plaintext connection (RFC 2595).</summary>
    public bool StlsAvailable { get; init; }

    /// <summary>
    /// Whether SCRAM-SHA-256 is offered: not when passwords are checked by a directory (LDAP), which
    /// keeps no SCRAM keys the server could use.
    /// </summary>
    public bool OfferScram { get; init; } = true;

    /// <summary>
    /// NetBIOS-style domains (no dot, e.g. <c>CORP</c>) that make a two-part user name <c>CORP\alice</c> read as
    /// <c>domain\login</c> rather than <c>login\alias</c>, compared ignoring case; empty: only a dotted first part is a domain.
    /// </summary>
    public IReadOnlyList<string> NetbiosDomains { get; init; } = [];

    /// <summary>Makes the server part of a SCRAM nonce; null draws 18 random bytes. Set only to replay a known exchange.</summary>
    public Func<string>? ScramNonceFactory { get; init; }
}
