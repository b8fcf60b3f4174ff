using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Configuration;
using Pop3Gateway.Abstractions.Configuration;

namespace Pop3Gateway.Host.Configuration;

/// <summary>
/// Configuration section <c>Orleans</c>, with the environment variables a Kubernetes pod sets:
/// <c>POD_IP</c> (advertised address), <c>POD_NAME</c> (silo name), <c>ORLEANS_SERVICE_ID</c>
/// and <c>ORLEANS_CLUSTER_ID</c> win over the configured values.
/// </summary>
public sealed class OrleansSettings
{
    public const string Section = "Orleans";

    public const string PodIpVariable = "POD_IP";
    public const string PodNameVariable = "POD_NAME";
    public const string PodNamespaceVariable = "POD_NAMESPACE";
    public const string ServiceIdVariable = "ORLEANS_SERVICE_ID";
    public const string ClusterIdVariable = "ORLEANS_CLUSTER_ID";

    /// <summary>Silo-to-silo port.</summary>
    [Port]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port that front-ends and the admin CLI connect to.</summary>
    [Port]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Port the gateway listens on when clients reach it at <c>GatewayPort</c> through a port-mapping proxy or NAT; 0: <c>GatewayPort</c>.</summary>
    [Range(0, IPEndPoint.MaxPort)]
    public int GatewayListenPort { get; set; }

    /// <summary>Names the deployment across its lifetime: grain state is kept under it (environment <c>ORLEANS_SERVICE_ID</c> wins).</summary>
    public string ServiceId { get; set; } = "pop3gateway";

    /// <summary>Names one cluster of silos and front-ends that find each other (environment <c>ORLEANS_CLUSTER_ID</c> wins).</summary>
    public string ClusterId { get; set; } = "dev";

    /// <summary>The address other silos and clients reach this silo at; loopback unless a pod says otherwise.</summary>
    [IpAddress]
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Listen on every interface (a container) rather than on the advertised address only.</summary>
    public bool ListenOnAnyAddress { get; set; }

    /// <summary>
    /// How long a front-end waits for a grain call before it answers <c>[SYS/TEMP]</c>: long enough for a
    /// commit against slow storage (a few requests of at most <c>Storage:AzureNetworkTimeout</c>), short
    /// enough that a client whose silo died hears so well before its own timeout.
    /// </summary>
    [Positive]
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often a front-end re-reads the gateway list from the membership table (Orleans' default is a minute).</summary>
    [Positive]
    public TimeSpan GatewayListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The silo's name in the membership table: the pod name when there is one.</summary>
    public string? SiloName { get; set; }

    public IPAddress AdvertisedIPAddress => IPAddress.TryParse(AdvertisedAddress, out var address)
        ? address
        : throw new InvalidOperationException($"Invalid configuration: Orleans:AdvertisedAddress '{AdvertisedAddress}' is not an IP address");

    public static OrleansSettings From(IConfiguration configuration)
    {
        var settings = configuration.GetSection(Section).Get<OrleansSettings>() ?? new OrleansSettings();
        settings.AdvertisedAddress = Variable(PodIpVariable) ?? settings.AdvertisedAddress;
        settings.ServiceId = Variable(ServiceIdVariable) ?? settings.ServiceId;
        settings.ClusterId = Variable(ClusterIdVariable) ?? settings.ClusterId;
        settings.SiloName = Variable(PodNameVariable) ?? settings.SiloName;
        return settings;
    }

    private static string? Variable(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value.Trim() : null;
}
