using System.ComponentModel.DataAnnotations;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Configuration;

namespace Pop3Gateway.Frontend.Pop3;

/// <summary>Listener and session settings (configuration section <c>Pop3</c>).</summary>
public sealed class Pop3ServerOptions
{
    public const string Section = "Pop3";

    /// <summary>Address the POP3 listener binds to. Loopback by default: opening a port to the network is a decision.</summary>
    [IpAddress]
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>Port of the POP3 listener (plain text, STLS offered when a certificate is configured).</summary>
    [Port]
    public int Port { get; set; } = 1110;

    /// <summary>Implicit TLS port (RFC 8314; 995 in the container); listens only when a certificate is configured. 0 turns it off.</summary>
    [Port(ZeroTurnsOff = true)]
    public int TlsPort { get; set; } = 1995;

    /// <summary>Log every command line and reply status line (PASS and AUTH payloads redacted).</summary>
    public bool ProtocolLog { get; set; }

    /// <summary>Longest command line, CRLF included (RFC 2449: at least 255).</summary>
    [Range(255, 65536, ErrorMessage = "{0} must be between {1} and {2}")]
    public int MaxLineLength { get; set; } = 1024;

    /// <summary>Bad commands in a row before the session is closed.</summary>
    [Positive]
    public int MaxBadCommands { get; set; } = 20;

    /// <summary>Offer SASL SCRAM-SHA-256; turned off when <c>Auth:Backend</c> is <c>Ldap</c> (a directory keeps no SCRAM keys).</summary>
    public bool OfferScram { get; set; } = true;

    /// <summary>NetBIOS domains read as the domain of <c>CORP\alice</c>; set from <c>Auth:Ldap:Domains</c> when <c>Auth:Backend</c> is <c>Ldap</c>.</summary>
    public IReadOnlyList<string> NetbiosDomains { get; set; } = [];

    /// <summary>What a second login to a locked mailbox does: <c>Exclusive</c> refuses it <c>[IN-USE]</c>, <c>Takeover</c> ends the first session.</summary>
    public LockPolicy LockPolicy { get; set; } = LockPolicy.Exclusive;

    /// <summary>Autologout in TRANSACTION; RFC 1939 asks for at least 10 minutes.</summary>
    [Positive]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Time allowed to log in after connecting.</summary>
    [Positive]
    public TimeSpan LoginTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Size of the chunks read from the body store while streaming RETR/TOP.</summary>
    [Positive]
    public int BodyChunkSize { get; set; } = 64 * 1024;
}
