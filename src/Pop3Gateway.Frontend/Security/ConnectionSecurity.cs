using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Pop3Gateway.Abstractions.Security;
using Pop3Gateway.Frontend.Tls;

namespace Pop3Gateway.Frontend.Security;

/// <summary>Everything the connection handler needs for its security decisions; one per front-end.</summary>
public sealed class ConnectionSecurity
{
    /// <summary>An IPv6 client counts under its /64: one subscriber usually gets a whole /64 and picks addresses in it at will.</summary>
    public const int Ipv6GroupPrefixLength = 64;

    /// <exception cref="InvalidOperationException"><see cref="SecurityOptions.TrustedNetworks"/> holds an entry that is not a CIDR.</exception>
    public ConnectionSecurity(SecurityOptions security, LimitsOptions limits, ServerCertificate? certificate, TimeProvider? time = null)
    {
        Verdicts = new BanVerdicts(time ?? TimeProvider.System);
        Options = security;
        Limits = limits;
        ServerCertificate = certificate;
        Limiter = new ConnectionLimiter(limits);
        Policy = security.ToPolicy();
        TrustedNetworks = NetworkList.Parse(security.TrustedNetworks, "Security:TrustedNetworks");
    }

    /// <summary>Defaults everywhere, no certificate, nobody trusted: what tests and a bare front-end get.</summary>
    public static ConnectionSecurity Default() => new(new SecurityOptions(), new LimitsOptions(), null);

    public SecurityOptions Options { get; }

    public LimitsOptions Limits { get; }

    /// <summary>The server certificate in use now (it may be replaced while the server runs); null when TLS is off.</summary>
    public X509Certificate2? Certificate => ServerCertificate?.Current;

    /// <summary>The server certificate and its replacements; null when TLS is off.</summary>
    public ServerCertificate? ServerCertificate { get; }

    public ConnectionLimiter Limiter { get; }

    public ThrottlePolicy Policy { get; }

    /// <summary>Ban verdicts learned lately, per address group (shared by every connection of this front-end).</summary>
    public BanVerdicts Verdicts { get; }

    /// <summary>The parsed <see cref="SecurityOptions.TrustedNetworks"/>.</summary>
    public NetworkList TrustedNetworks { get; }

    /// <summary>The address a connection is logged under; IPv4-mapped IPv6 shown as IPv4.</summary>
    public static IPAddress? ClientAddress(EndPoint? remote)
        => remote is IPEndPoint { Address: var address } ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address) : null;

    /// <summary>
    /// What a client counts under for the per-address limit, delays and bans: an IPv4 address itself, an
    /// IPv6 address's /64 (e.g. <c>2001:db8:1:2::/64</c>); <c>local</c> without an address.
    /// </summary>
    public static string AddressGroup(IPAddress? address)
    {
        if (address is null)
        {
            return "local";
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6 || address.IsIPv4MappedToIPv6)
        {
            return address.ToString();
        }
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[(Ipv6GroupPrefixLength / 8)..].Clear();
        return new IPNetwork(new IPAddress(bytes), Ipv6GroupPrefixLength).ToString();
    }
}
