using Microsoft.Extensions.Configuration;

namespace Pop3Gateway.Host.Configuration;

/// <summary>Configuration section <c>Orleans</c>.</summary>
public sealed class OrleansSettings
{
    public const string Section = "Orleans";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port that front-ends and the admin CLI connect to.</summary>
    public int GatewayPort { get; set; } = 30000;

    public string ServiceId { get; set; } = "pop3gateway";

    public string ClusterId { get; set; } = "dev";

    public static OrleansSettings From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<OrleansSettings>() ?? new OrleansSettings();
}
