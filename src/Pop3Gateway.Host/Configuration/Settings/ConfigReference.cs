using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text;
using Pop3Gateway.Abstractions.Configuration;
using Pop3Gateway.Frontend.Security;

namespace Pop3Gateway.Host.Configuration.Settings;

/// <summary>docs/configuration.md, made from <see cref="GatewaySettings"/> and the options classes' doc comments.</summary>
public static class ConfigReference
{
    public const string DocumentPath = "docs/configuration.md";

    public static string Render() => Render(GatewaySettings.Sections);

    public static string Render(IReadOnlyList<SettingsSection> sections)
    {
        var text = new StringBuilder();
        text.Append("""
            # Configuration reference

            <!-- Generated from the options classes (GatewaySettings); edit their doc comments, not this file. -->

            Settings are read, lowest precedence first, from `appsettings.json` beside the executable,
            `appsettings.json` in the working directory, environment variables `POP3GW__Section__Key`,
            and command-line options such as `--data` (`Storage:DataDirectory`). The defaults below are
            the single-host development defaults; `appsettings.json` only adds `Security:TrustedNetworks`.

            `pop3gw serve` checks the configuration before it listens: a key under one of these sections
            that is not listed here, or a value of the wrong type or out of range, stops it with exit
            status 1 and one line on stderr. `pop3gw config show` prints the values in effect
            (`--changed`: only those that differ from the default). Durations are written
            `[d.]hh:mm:ss[.fff]`; a list is written `Key:0`, `Key:1`, … (environment `Key__0`, `Key__1`, …).
            The role is `--role` or `POP3GW__Role`; logging is configured under `Logging`, OpenTelemetry
            through the standard `OTEL_*` variables.

            """);
        foreach (var section in sections)
        {
            text.Append('\n').Append($"## {section.Name}\n\n");
            if (SettingDescriptions.Of(section.OptionsType) is { Length: > 0 } summary)
            {
                text.Append(summary).Append("\n\n");
            }
            text.Append("| Key | Type | Default | Environment variable | Description |\n");
            text.Append("|---|---|---|---|---|\n");
            var defaults = section.Defaults();
            foreach (var setting in section.Settings)
            {
                text.Append($"| `{setting.Key}` | {Type(setting)} | {Code(setting.Format(defaults))} | {Variable(setting)} | {Cell(SettingDescriptions.Of(setting.Property))} |\n");
            }
        }
        return text.ToString();
    }

    private static string Type(Setting setting)
    {
        var type = SettingValues.Describe(setting.ValueType, article: false);
        var shaped = setting.Shape switch
        {
            SettingShape.List => $"list of {type}",
            SettingShape.Map => $"map of {type}",
            _ => type,
        };
        var limits = setting.Property.GetCustomAttributes<ValidationAttribute>().Select(Limit).Where(limit => limit.Length > 0);
        return string.Join(", ", limits.Prepend(shaped));
    }

    /// <summary>What a validation attribute asks of the value, in a few words.</summary>
    private static string Limit(ValidationAttribute attribute) => attribute switch
    {
        PortAttribute { ZeroTurnsOff: true } => "port 1-65535 or 0 (off)",
        PortAttribute => "port 1-65535",
        PositiveAttribute => "more than zero",
        NotNegativeAttribute => "not negative",
        RangeAttribute range => $"{range.Minimum}-{range.Maximum}",
        IpAddressAttribute => "IP address",
        NetworkListAttribute => "comma-separated CIDRs or addresses",
        _ => "",
    };

    private static string Variable(Setting setting) => setting.Shape switch
    {
        SettingShape.List => $"`{setting.EnvironmentVariable}__0`, `__1`, …",
        SettingShape.Map => $"`{setting.EnvironmentVariable}__NAME`",
        _ => $"`{setting.EnvironmentVariable}`",
    };

    private static string Code(string value) => value.Length == 0 ? "(empty)" : $"`{Cell(value)}`";

    private static string Cell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal);
}
