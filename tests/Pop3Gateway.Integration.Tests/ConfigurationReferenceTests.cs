using Pop3Gateway.Host.Configuration.Settings;

namespace Pop3Gateway.Integration.Tests;

/// <summary>docs/configuration.md is what <see cref="ConfigReference.Render()"/> makes of the options classes.</summary>
public sealed class ConfigurationReferenceTests
{
    /// <summary>Set to 1 to write the rendering to docs/configuration.md instead of comparing.</summary>
    private const string UpdateVariable = "UPDATE_CONFIGURATION_DOCS";

    [Fact]
    public void Render_CommittedDocument_Identical()
    {
        var path = Path.Combine(RepositoryRoot(), ConfigReference.DocumentPath);
        var rendered = ConfigReference.Render();
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(path, rendered);
        }

        var committed = File.Exists(path) ? File.ReadAllText(path) : "";

        Assert.True(committed == rendered,
            $"{ConfigReference.DocumentPath} differs from the options classes; regenerate it with " +
            $"'{UpdateVariable}=1 dotnet test tests/Pop3Gateway.Integration.Tests -c Release --filter {nameof(ConfigurationReferenceTests)}'");
    }

    [Fact]
    public void Render_EverySetting_HasDescription()
    {
        var undescribed = GatewaySettings.Sections.SelectMany(s => s.Settings)
            .Where(s => SettingDescriptions.Of(s.Property).Length == 0)
            .Select(s => s.Key);

        Assert.Empty(undescribed);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Pop3Gateway.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"no Pop3Gateway.sln above {AppContext.BaseDirectory}");
    }
}
