using Microsoft.Extensions.Configuration;
using Pop3Gateway.Host.Cli;

namespace Pop3Gateway.Host.Serve;

/// <summary>What one <c>pop3gw serve</c> process hosts.</summary>
public enum ServeRole
{
    /// <summary>Silo and front-end in one process (localhost clustering with the embedded store): one machine.</summary>
    Combined,

    /// <summary>Grains and grain storage; no POP3 or LMTP listeners.</summary>
    Silo,

    /// <summary>POP3, POP3S and LMTP listeners with an Orleans client; no grains.</summary>
    Frontend,
}

public static class ServeRoles
{
    /// <summary>Configuration key of the role (environment <c>POP3GW__Role</c>); <c>--role</c> wins.</summary>
    public const string ConfigurationKey = "Role";

    public static ServeRole Resolve(string? option, IConfiguration configuration)
    {
        var name = option ?? configuration[ConfigurationKey];
        return name?.Trim().ToLowerInvariant() switch
        {
            null or "" or "combined" => ServeRole.Combined,
            "silo" => ServeRole.Silo,
            "frontend" => ServeRole.Frontend,
            _ => throw new UsageException($"unknown role '{name}'; use combined, silo or frontend"),
        };
    }

    public static string Name(this ServeRole role) => role.ToString().ToLowerInvariant();

    public static bool HostsSilo(this ServeRole role) => role is ServeRole.Combined or ServeRole.Silo;

    public static bool HostsListeners(this ServeRole role) => role is ServeRole.Combined or ServeRole.Frontend;
}
