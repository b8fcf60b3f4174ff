using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Pop3Gateway.Host.Cli;

namespace Pop3Gateway.Host.Configuration.Settings;

/// <summary>
/// The start-up check of the configuration, before anything listens: no unknown key under a registered
/// section, every value convertible to its type, then the DataAnnotations attributes of the options
/// properties and the section's rules. The first problem found is the one reported.
/// </summary>
public static class SettingsValidation
{
    public const string Prefix = "invalid configuration: ";

    /// <exception cref="UsageException">The configuration is invalid: one line, e.g. <c>invalid configuration: Pop3:Port 'abc' is not a whole number</c>.</exception>
    public static void Validate(IConfiguration configuration, IReadOnlyList<SettingsSection>? sections = null)
    {
        if (FindProblem(configuration, sections ?? GatewaySettings.Sections) is { } problem)
        {
            // One line on stderr, whatever a loader's exception message held.
            throw new UsageException(Prefix + string.Join(' ', problem.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)));
        }
    }

    /// <summary>The first problem of <paramref name="configuration"/>, or null when it is valid.</summary>
    public static string? FindProblem(IConfiguration configuration, IReadOnlyList<SettingsSection> sections) =>
        UnknownKeys.Find(configuration, sections)
        ?? sections.SelectMany(s => s.Settings).Select(s => Unconvertible(configuration, s)).FirstOrDefault(p => p is not null)
        ?? sections.Select(s => Invalid(s, s.Bind(configuration))).FirstOrDefault(p => p is not null);

    private static string? Unconvertible(IConfiguration configuration, Setting setting)
    {
        var section = configuration.GetSection(setting.Key);
        var values = setting.Shape == SettingShape.Value ? [section] : section.GetChildren();
        foreach (var value in values.Where(v => v.Value is not null))
        {
            if (!SettingValues.TryConvert(configuration, value.Path, setting.ValueType))
            {
                var shown = setting.IsSecret ? "(redacted)" : value.Value;
                return $"{value.Path} '{shown}' is not {SettingValues.Describe(setting.ValueType, article: true)}";
            }
        }
        return null;
    }

    private static string? Invalid(SettingsSection section, object options)
    {
        foreach (var setting in section.Settings)
        {
            var value = setting.Read(options);
            var shown = setting.IsSecret ? "(redacted)" : Setting.FormatValue(value);
            var context = new ValidationContext(options) { DisplayName = $"{setting.Key} '{shown}'", MemberName = setting.Property.Name };
            foreach (var attribute in setting.Property.GetCustomAttributes<ValidationAttribute>())
            {
                if (attribute.GetValidationResult(value, context) is { ErrorMessage: { } message })
                {
                    return message;
                }
            }
        }
        return section.CheckRules(options).FirstOrDefault();
    }
}
