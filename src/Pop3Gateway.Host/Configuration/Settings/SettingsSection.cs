using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Pop3Gateway.Host.Configuration.Settings;

/// <summary>
/// One configuration section and the options class it binds to: the unit that start-up validation,
/// <c>config show</c> and docs/configuration.md are made from. Make one with <see cref="Of{T}"/>.
/// </summary>
public abstract class SettingsSection
{
    private protected SettingsSection(string name, Type optionsType, IReadOnlySet<string> excluded, bool openSubsections)
    {
        Name = name;
        OptionsType = optionsType;
        Excluded = excluded;
        OpenSubsections = openSubsections;
    }

    /// <summary>The section's path, e.g. <c>Pop3</c> or <c>Storage:Sweep</c>.</summary>
    public string Name { get; }

    public Type OptionsType { get; }

    /// <summary>Properties that are not settings (the program sets them from others).</summary>
    public IReadOnlySet<string> Excluded { get; }

    /// <summary>
    /// Whether subsections that name no property are let through (as <c>Logging</c>'s provider subsections
    /// are); a misspelt value directly under the section is still refused.
    /// </summary>
    public bool OpenSubsections { get; }

    /// <summary>The settings of this section, nested objects flattened, in declaration order.</summary>
    public IReadOnlyList<Setting> Settings => field ??= Setting.Of(this);

    /// <summary>A section whose defaults are <c>new T()</c>; <paramref name="rules"/> check what attributes cannot.</summary>
    public static SettingsSection Of<T>(string name, IEnumerable<string>? excluded = null, bool openSubsections = false, params IValidateOptions<T>[] rules)
        where T : class, new() =>
        new SettingsSection<T>(name, excluded?.ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [], openSubsections, rules);

    /// <summary>An instance holding the defaults.</summary>
    public abstract object Defaults();

    /// <summary>The options as configured (call after the values were found convertible).</summary>
    public abstract object Bind(IConfiguration configuration);

    /// <summary>The failures of the rules that need code, each a full message.</summary>
    public abstract IEnumerable<string> CheckRules(object options);
}

internal sealed class SettingsSection<T>(string name, IReadOnlySet<string> excluded, bool openSubsections, IReadOnlyList<IValidateOptions<T>> rules)
    : SettingsSection(name, typeof(T), excluded, openSubsections)
    where T : class, new()
{
    public override object Defaults() => new T();

    public override object Bind(IConfiguration configuration) => configuration.GetSection(Name).Get<T>() ?? new T();

    public override IEnumerable<string> CheckRules(object options) =>
        rules.Select(rule => rule.Validate(Name, (T)options)).Where(result => result.Failed).SelectMany(result => result.Failures ?? []);
}
