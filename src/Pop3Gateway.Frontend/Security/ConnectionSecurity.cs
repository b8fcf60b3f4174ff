using System.Net;
using System.Security.Cryptography.X509Certificates;
using Pop3Gateway.Abstractions.Security;

namespace Pop3Gateway.Frontend.Security;

/// <summary>Everything the connection handler needs for its security decisions; one per front-end.</summary>
public sealed class ConnectionSecurity
{
    public ConnectionSecurity(SecurityOptions security, LimitsOptions limits, X509Certificate2? certificate)
    {
        Options = security;
        Limits = limits;
        Certificate = certificate;
        Limiter = new ConnectionLimiter(limits);
        Policy = security.ToPolicy();
    }

    /// <summary>Defaults everywhere, no certificate: what tests and a bare front-end get.</summary>
    public static ConnectionSecurity Default() => new(new SecurityOptions(), new LimitsOptions(), null);

    public SecurityOptions Options { get; }

    public LimitsOptions Limits { get; }

    /// <summary>The server certificate; null when TLS is off.</summary>
    public X509Certificate2? Certificate { get; }

    public ConnectionLimiter Limiter { get; }

    public ThrottlePolicy Policy { get; }

    /// <summary>The address a connection counts under (limits, bans, logs); IPv4-mapped IPv6 shown as IPv4.</summary>
    public static IPAddress? ClientAddress(EndPoint? remote)
        => remote is IPEndPoint { Address: var address } ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address) : null;

    /// <summary>
    /// Whether the client is on this machine. A connection without an IP end point (an in-process
    /// pipe) is local too.
    /// </summary>
    public static bool IsLoopback(IPAddress? address) => address is null || IPAddress.IsLoopback(address);
}
