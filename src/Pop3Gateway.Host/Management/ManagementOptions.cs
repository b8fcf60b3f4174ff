using Pop3Gateway.Abstractions.Configuration;

namespace Pop3Gateway.Host.Management;

/// <summary>The management HTTP listener (configuration section <c>Management</c>): health, metrics, operator page.</summary>
public sealed class ManagementOptions
{
    public const string Section = "Management";

    /// <summary>Loopback by default; a container sets 0.0.0.0 so that probes and Prometheus reach it.</summary>
    [IpAddress]
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>Port of the management listener; 0 turns it off.</summary>
    [Port(ZeroTurnsOff = true)]
    public int Port { get; set; } = 8080;
}
