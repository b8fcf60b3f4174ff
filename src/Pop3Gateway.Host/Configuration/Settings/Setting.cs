using System.Collections;
using System.Globalization;
using System.Reflection;

namespace Pop3Gateway.Host.Configuration.Settings;

/// <summary>How a setting's value is written in configuration.</summary>
public enum SettingShape
{
    /// <summary>One value: <c>Section:Key</c>.</summary>
    Value,

    /// <summary>A list: <c>Section:Key:0</c>, <c>Section:Key:1</c>, …</summary>
    List,

    /// <summary>Named values: <c>Section:Key:Name</c>.</summary>
    Map,
}

/// <summary>One setting of a <see cref="SettingsSection"/>: a bound property, reached through nested objects.</summary>
public sealed record Setting(SettingsSection Section, string RelativeKey, IReadOnlyList<PropertyInfo> Path, SettingShape Shape, Type ValueType)
{
    /// <summary>The full key, e.g. <c>Auth:Ldap:Url</c>.</summary>
    public string Key => $"{Section.Name}:{RelativeKey}";

    public PropertyInfo Property => Path[^1];

    /// <summary>The environment variable that sets it, e.g. <c>POP3GW__Auth__Ldap__Url</c>.</summary>
    public string EnvironmentVariable => GatewayConfiguration.EnvironmentPrefix + Key.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>Passwords, keys, tokens and connection strings; a file or path naming one is not a secret.</summary>
    public bool IsSecret
    {
        get
        {
            var name = Property.Name;
            if (name.EndsWith("File", StringComparison.Ordinal) || name.EndsWith("Path", StringComparison.Ordinal))
            {
                return false;
            }
            return name.EndsWith("Key", StringComparison.Ordinal)
                || new[] { "Password", "Secret", "ConnectionString", "Token" }.Any(word => name.Contains(word, StringComparison.Ordinal));
        }
    }

    /// <summary>This setting's value in <paramref name="options"/> (an instance of the section's options class).</summary>
    public object? Read(object options)
    {
        object? value = options;
        foreach (var property in Path)
        {
            value = value is null ? null : property.GetValue(value);
        }
        return value;
    }

    /// <summary>This setting's value as configuration would spell it; lists and maps comma-separated.</summary>
    public string Format(object options) => FormatValue(Read(options));

    public static string FormatValue(object? value) => value switch
    {
        null => "",
        string text => text,
        bool flag => flag ? "true" : "false",
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        IDictionary map => string.Join(",", map.Keys.Cast<object>().Select(key => $"{FormatValue(key)}={FormatValue(map[key])}")),
        IEnumerable items => string.Join(",", items.Cast<object?>().Select(FormatValue)),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    internal static IReadOnlyList<Setting> Of(SettingsSection section)
    {
        var settings = new List<Setting>();
        Collect(section, section.OptionsType, "", [], settings);
        return settings;
    }

    private static void Collect(SettingsSection section, Type type, string prefix, IReadOnlyList<PropertyInfo> path, List<Setting> settings)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var key = prefix + property.Name;
            if (property.SetMethod is not { IsPublic: true } || property.GetIndexParameters().Length > 0 || section.Excluded.Contains(key))
            {
                continue;
            }
            var propertyPath = path.Append(property).ToList();
            var propertyType = property.PropertyType;
            if (IsScalar(propertyType))
            {
                settings.Add(new Setting(section, key, propertyPath, SettingShape.Value, propertyType));
            }
            else if (MapValueType(propertyType) is { } valueType)
            {
                settings.Add(new Setting(section, key, propertyPath, SettingShape.Map, valueType));
            }
            else if (ElementType(propertyType) is { } elementType)
            {
                settings.Add(new Setting(section, key, propertyPath, SettingShape.List, elementType));
            }
            else
            {
                Collect(section, propertyType, key + ":", propertyPath, settings);
            }
        }
    }

    /// <summary>Types the configuration binder converts from one string.</summary>
    public static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
            || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Guid) || type == typeof(Uri);
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericArguments() is [var element] && typeof(IEnumerable<>).MakeGenericType(element).IsAssignableFrom(type) ? element
        : null;

    private static Type? MapValueType(Type type) =>
        type.IsGenericType && type.GetGenericArguments() is [var key, var value] && key == typeof(string)
            && typeof(IEnumerable<>).MakeGenericType(typeof(KeyValuePair<,>).MakeGenericType(key, value)).IsAssignableFrom(type)
            ? value
            : null;
}
