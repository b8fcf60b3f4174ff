using Pop3Gateway.Host.Configuration;
using Pop3Gateway.Host.Configuration.Settings;

namespace Pop3Gateway.Host.Cli;

/// <summary>
/// <c>pop3gw config show [--changed] [--json]</c>: the configuration in effect, every setting of every
/// section as <c>Section:Key = value</c> (like <c>doveconf</c>); <c>--changed</c> keeps those that differ
/// from the default (like <c>doveconf -n</c>). Secrets are shown as <c>(redacted)</c>.
/// </summary>
public static class ConfigShowCommand
{
    public const string Redacted = "(redacted)";

    /// <exception cref="UsageException">The configuration is invalid (the same line <c>serve</c> prints).</exception>
    public static int Run(IReadOnlyDictionary<string, string?> overrides, bool changedOnly, bool json, TextWriter stdout)
    {
        var configuration = GatewayConfiguration.Build(overrides);
        SettingsValidation.Validate(configuration);
        var shown = new List<ShownSetting>();
        foreach (var section in GatewaySettings.Sections)
        {
            var defaults = section.Defaults();
            var effective = section.Bind(configuration);
            foreach (var setting in section.Settings)
            {
                var value = setting.Format(effective);
                var fallback = setting.Format(defaults);
                var changed = value != fallback;
                if (changed || !changedOnly)
                {
                    shown.Add(new ShownSetting(setting.Key, Redact(setting, value), Redact(setting, fallback), changed));
                }
            }
        }
        if (json)
        {
            CliJson.Write(stdout, new ShownConfiguration(shown));
        }
        else
        {
            foreach (var setting in shown)
            {
                stdout.WriteLine($"{setting.Key} = {setting.Value}");
            }
        }
        return CommandLine.Success;
    }

    private static string Redact(Setting setting, string value) => setting.IsSecret && value.Length > 0 ? Redacted : value;
}

/// <summary>The <c>--json</c> document of <c>config show</c>.</summary>
public sealed record ShownConfiguration(IReadOnlyList<ShownSetting> Settings);

/// <summary>One setting: its value in effect, its default, and whether they differ.</summary>
public sealed record ShownSetting(string Key, string Value, string Default, bool Changed);
