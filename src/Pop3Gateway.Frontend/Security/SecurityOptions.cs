using Pop3Gateway.Abstractions.Configuration;
using Pop3Gateway.Abstractions.Security;

namespace Pop3Gateway.Frontend.Security;

/// <summary>Authentication policy (configuration section <c>Security</c>).</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>Accept USER/PASS, PLAIN and LOGIN on a connection that is neither TLS nor from <see cref="TrustedNetworks"/>.</summary>
    public bool AllowCleartextAuth { get; set; }

    /// <summary>Delay before answering the first failed login; it doubles with each failure in a row.</summary>
    [NotNegative]
    public TimeSpan FailureDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest failure delay.</summary>
    [NotNegative]
    public TimeSpan MaxFailureDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Failed logins from one address within <see cref="BanWindow"/> that ban it; 0 disables bans.</summary>
    [NotNegative]
    public int BanAfterFailures { get; set; } = 10;

    /// <summary>The window in which <see cref="BanAfterFailures"/> failed logins ban an address.</summary>
    [Positive]
    public TimeSpan BanWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a banned address is refused.</summary>
    [Positive]
    public TimeSpan BanDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Comma-separated CIDRs of clients trusted with cleartext logins and exempt from delays and bans. Nothing
    /// by default: no address is trusted for being loopback (a sidecar proxy, stunnel or a port-forward arrive
    /// there too). The single-host appsettings.json lists loopback; the container lists nothing.
    /// </summary>
    [NetworkList]
    public string? TrustedNetworks { get; set; }

    public ThrottlePolicy ToPolicy() => new(FailureDelay, MaxFailureDelay, BanAfterFailures, BanWindow, BanDuration);
}

/// <summary>Connection limits (configuration section <c>Limits</c>), per front-end.</summary>
public sealed class LimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Open connections in total: far above one front-end's normal load, well below its file-descriptor limit.</summary>
    [Positive]
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>Open connections per client address: room for a household or office behind one NAT.</summary>
    [Positive]
    public int MaxConnectionsPerIp { get; set; } = 50;

    /// <summary>Logged-in sessions per account: one per mailbox plus the granted ones, with slack for reconnects.</summary>
    [Positive]
    public int MaxConnectionsPerAccount { get; set; } = 10;
}
