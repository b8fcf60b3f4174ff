using Microsoft.Extensions.Configuration;
using Pop3Gateway.Abstractions.Configuration;
using Pop3Gateway.Storage.Azure;

namespace Pop3Gateway.Host.Configuration;

public enum StorageProvider
{
    /// <summary>Durable files under <see cref="StorageSettings.DataDirectory"/>; one machine.</summary>
    Embedded = 0,

    /// <summary>Azure Storage: Table clustering, Blob grain state, bodies and index segments in Blob containers.</summary>
    Azure = 1,
}

/// <summary>Configuration section <c>Storage</c>.</summary>
public sealed class StorageSettings
{
    public const string Section = "Storage";

    /// <summary>Where grain state, membership and message bodies live: <c>Embedded</c> files on one machine, or <c>Azure</c> Storage.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Embedded;

    /// <summary>The embedded store's directory; also holds the cluster certificates made on first start.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>The Azure Storage connection string of the <c>Azure</c> profile.</summary>
    public string AzureConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>Blob container of message bodies.</summary>
    public string BlobContainer { get; set; } = "pop3-messages";

    /// <summary>Blob container of mailbox index segments.</summary>
    public string IndexContainer { get; set; } = "pop3-index";

    /// <summary>Blob container of grain state.</summary>
    public string StateContainer { get; set; } = "pop3-state";

    /// <summary>Table of the cluster membership.</summary>
    public string ClusterTable { get; set; } = "pop3cluster";

    /// <summary>Time limit of one Azure Storage request (short: an outage must answer <c>[SYS/TEMP]</c> promptly).</summary>
    [Positive]
    public TimeSpan AzureNetworkTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public static StorageSettings From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<StorageSettings>() ?? new StorageSettings();

    public string FullDataDirectory => Path.GetFullPath(DataDirectory);

    public AzureStorageOptions Azure => new()
    {
        ConnectionString = AzureConnectionString,
        BlobContainer = BlobContainer,
        IndexContainer = IndexContainer,
        StateContainer = StateContainer,
        ClusterTable = ClusterTable,
        NetworkTimeout = AzureNetworkTimeout,
    };
}
