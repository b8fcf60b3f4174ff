using System.Net;
using System.Net.Sockets;

namespace Pop3Gateway.Frontend.Security;

/// <summary>A configured list of networks (comma-separated CIDRs or single addresses) and the test whether an address is in it.</summary>
public sealed class NetworkList
{
    private readonly IReadOnlyList<IPNetwork> _networks;

    private NetworkList(IReadOnlyList<IPNetwork> networks) => _networks = networks;

    public static NetworkList Empty { get; } = new([]);

    public IReadOnlyList<IPNetwork> Networks => _networks;

    /// <summary>Parses <paramref name="text"/>, e.g. <c>10.0.0.0/8, 127.0.0.1, ::1/128</c>; empty or null is no network.</summary>
    /// <param name="key">The configuration key, named in the error.</param>
    /// <exception cref="InvalidOperationException">An entry is neither a CIDR nor an address.</exception>
    public static NetworkList Parse(string? text, string key)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Empty;
        }

        var networks = new List<IPNetwork>();
        foreach (var entry in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
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

        return new NetworkList(networks);
    }

    /// <summary>Whether <paramref name="address"/> (IPv4-mapped IPv6 taken as IPv4) is in one of the networks; null never is.</summary>
    public bool Contains(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        var normalized = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var network in _networks)
        {
            if (network.Contains(normalized))
            {
                return true;
            }
        }

        return false;
    }
}
