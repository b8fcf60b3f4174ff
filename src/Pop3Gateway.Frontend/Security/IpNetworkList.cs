using System.Net;
using System.Net.Sockets;

namespace Pop3Gateway.Frontend.Security;

/// <summary>A configured list of networks (comma-separated CIDRs or single addresses) and whether an address is in it.</summary>
public sealed class IpNetworkList
{
    private readonly IReadOnlyList<IPNetwork> _networks;

    private IpNetworkList(IReadOnlyList<IPNetwork> networks) => _networks = networks;

    public IReadOnlyList<IPNetwork> Networks => _networks;

    /// <summary>Parses <paramref name="text"/>, e.g. <c>10.0.0.0/8, 127.0.0.1, ::1/128</c>; empty or null is no network.</summary>
    /// <param name="key">The configuration key, named in the error.</param>
    /// <exception cref="InvalidOperationException">An entry is neither a CIDR nor an address.</exception>
    public static IpNetworkList Parse(string? text, string key)
    {
        var networks = new List<IPNetwork>();
        foreach (var entry in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                networks.Add(new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw new InvalidOperationException($"{key} entry '{entry}' is not a CIDR (invalid configuration)");
            }
        }
        return new IpNetworkList(networks);
    }

    /// <summary>Whether the peer is in one of the networks (IPv4-mapped IPv6 taken as IPv4); a peer that is not an IP endpoint never is.</summary>
    public bool Contains(EndPoint? peer) => peer is IPEndPoint ip && Contains(ip.Address);

    public bool Contains(IPAddress address)
    {
        var normalized = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return _networks.Any(n => n.Contains(normalized));
    }
}
