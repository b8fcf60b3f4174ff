using Pop3Gateway.Frontend.Security;

namespace Pop3Gateway.Frontend.Proxy;

/// <summary>Network settings (configuration section <c>Network</c>).</summary>
public sealed class NetworkOptions
{
    public const string Section = "Network";

    /// <summary>
    /// Comma-separated CIDRs (e.g. <c>10.0.0.0/8,127.0.0.1/32</c>) of load balancers that send a PROXY
    /// header. When set, every connection on the POP3 listeners must start with one and come from these.
    /// </summary>
    [NetworkList]
    public string? TrustedProxies { get; set; }

    /// <summary>The parsed <see cref="TrustedProxies"/>; empty when the PROXY protocol is off.</summary>
    /// <exception cref="InvalidOperationException">An entry is not a CIDR.</exception>
    public NetworkList ParseTrustedProxies() => NetworkList.Parse(TrustedProxies, "Network:TrustedProxies");
}
