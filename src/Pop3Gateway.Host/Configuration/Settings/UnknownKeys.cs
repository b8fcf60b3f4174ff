using Microsoft.Extensions.Configuration;

namespace Pop3Gateway.Host.Configuration.Settings;

/// <summary>Finds a configured key under a registered section that no setting reads: a misspelling, or a setting in the wrong section.</summary>
internal static class UnknownKeys
{
    public static string? Find(IConfiguration configuration, IReadOnlyList<SettingsSection> sections)
    {
        foreach (var section in sections)
        {
            var settings = section.Settings.ToDictionary(s => s.RelativeKey, StringComparer.OrdinalIgnoreCase);
            var objects = settings.Keys.SelectMany(Parents).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var subsections = sections.Where(s => s.Name.StartsWith(section.Name + ":", StringComparison.OrdinalIgnoreCase))
                .Select(s => s.Name[(section.Name.Length + 1)..]).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (Find(configuration.GetSection(section.Name), "", section, settings, objects, subsections, sections) is { } problem)
            {
                return problem;
            }
        }
        return null;
    }

    private static string? Find(IConfigurationSection node, string prefix, SettingsSection section, Dictionary<string, Setting> settings,
        HashSet<string> objects, HashSet<string> subsections, IReadOnlyList<SettingsSection> sections)
    {
        foreach (var child in node.GetChildren())
        {
            var key = prefix + child.Key;
            var problem = settings.TryGetValue(key, out var setting) ? CheckShape(child, setting)
                : objects.Contains(key) ? Find(child, key + ":", section, settings, objects, subsections, sections)
                : subsections.Contains(key) || (section.OpenSubsections && child.GetChildren().Any()) ? null
                : $"{child.Path} is not a setting{Suggestion(section, key, sections)}";
            if (problem is not null)
            {
                return problem;
            }
        }
        return null;
    }

    /// <summary>A single value has no keys below it; a list's keys are 0, 1, …; nothing nests below a list item or map value.</summary>
    private static string? CheckShape(IConfigurationSection value, Setting setting)
    {
        foreach (var child in value.GetChildren())
        {
            if (setting.Shape == SettingShape.Value)
            {
                return $"{child.Path} is not a setting ({setting.Key} is a single value)";
            }
            if (setting.Shape == SettingShape.List && !int.TryParse(child.Key, out _))
            {
                return $"{child.Path} is not a setting ({setting.Key} is a list: {setting.Key}:0, {setting.Key}:1, …)";
            }
            if (child.GetChildren().FirstOrDefault() is { } nested)
            {
                return $"{nested.Path} is not a setting";
            }
        }
        return null;
    }

    private static string Suggestion(SettingsSection section, string key, IReadOnlyList<SettingsSection> sections)
    {
        var close = section.Settings
            .Select(s => (s.Key, Distance: Distance(s.RelativeKey.ToLowerInvariant(), key.ToLowerInvariant())))
            .Where(c => c.Distance <= Math.Max(2, key.Length / 4))
            .OrderBy(c => c.Distance)
            .Select(c => c.Key)
            .FirstOrDefault();
        var leaf = key.Split(':')[^1];
        close ??= sections.SelectMany(s => s.Settings).FirstOrDefault(s => string.Equals(s.Property.Name, leaf, StringComparison.OrdinalIgnoreCase))?.Key;
        return close is null ? "" : $" (did you mean {close}?)";
    }

    private static IEnumerable<string> Parents(string key)
    {
        for (var colon = key.IndexOf(':', StringComparison.Ordinal); colon > 0; colon = key.IndexOf(':', colon + 1))
        {
            yield return key[..colon];
        }
    }

    /// <summary>Levenshtein distance: insertions, deletions and substitutions.</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            previous = current;
        }
        return previous[b.Length];
    }
}
