using System.ComponentModel.DataAnnotations;
using Pop3Gateway.Abstractions.Configuration;
using Pop3Gateway.Frontend.Security;

namespace Pop3Gateway.Frontend.Lmtp;

/// <summary>Listener and session settings (configuration section <c>Lmtp</c>).</summary>
public sealed class LmtpServerOptions
{
    public const string Section = "Lmtp";

    /// <summary>Address the LMTP listener binds to. Loopback by default: the MTA usually runs on the same host.</summary>
    [IpAddress]
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>Port of the LMTP listener.</summary>
    [Port]
    public int Port { get; set; } = 2424;

    /// <summary>
    /// Comma-separated CIDRs (or addresses) of the MTAs allowed to deliver; any other peer gets <c>421 4.7.0</c>
    /// and is closed. Loopback by default; a container must name its MTA's network.
    /// </summary>
    [NetworkList]
    public string AllowedNetworks { get; set; } = "127.0.0.0/8,::1/128";

    /// <summary>Open LMTP connections per front-end; more get <c>421 4.3.2</c> (Postfix opens at most 20 per destination by default).</summary>
    [Positive]
    public int MaxConnections { get; set; } = 100;

    /// <summary>Longest command line, CRLF included (RFC 5321 §4.5.3.1.4: 512, plus room for MAIL parameters).</summary>
    [Range(512, 65536, ErrorMessage = "{0} must be between {1} and {2}")]
    public int MaxLineLength { get; set; } = 2048;

    /// <summary>Largest message accepted, in octets; advertised as SIZE (RFC 1870).</summary>
    [Positive]
    public long MaxMessageSize { get; set; } = 50L * 1024 * 1024;

    /// <summary>Recipients per transaction (RFC 5321 §4.5.3.1.8: at least 100).</summary>
    [Positive]
    public int MaxRecipients { get; set; } = 100;

    /// <summary>Bad commands in a row before the connection is closed.</summary>
    [Positive]
    public int MaxBadCommands { get; set; } = 20;

    /// <summary>Idle time allowed between commands and between DATA reads (RFC 5321 §4.5.3.2: at least 5 minutes).</summary>
    [Positive]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Where DATA is spooled before delivery; empty means the system temp directory.</summary>
    public string SpoolDirectory { get; set; } = "";
}
