using Microsoft.Extensions.Configuration;

namespace Pop3Gateway.Host.Configuration;

public enum StorageProvider
{
    /// <summary>Durable files under <see cref="StorageSettings.DataDirectory"/>; one machine.</summary>
    Embedded = 0,
}

/// <summary>Configuration section <c>Storage</c>.</summary>
public sealed class StorageSettings
{
    public const string Section = "Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.Embedded;

    public string DataDirectory { get; set; } = "./data";

    public static StorageSettings From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<StorageSettings>() ?? new StorageSettings();

    public string FullDataDirectory => Path.GetFullPath(DataDirectory);
}
