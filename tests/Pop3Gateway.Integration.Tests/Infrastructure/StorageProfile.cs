using System.Security.Cryptography;
using System.Text;

namespace Pop3Gateway.Integration.Tests.Infrastructure;

/// <summary>
/// Which storage profile the end-to-end servers use, so the same tests run on both:
/// <c>POP3GW_TEST_STORAGE=Azure</c> with <c>POP3GW_TEST_AZURE_CONNECTION</c> (tests/run.sh sets both
/// for its second pass, against the Azurite it started); anything else means Embedded.
/// </summary>
public static class StorageProfile
{
    public const string ProviderVariable = "POP3GW_TEST_STORAGE";
    public const string ConnectionVariable = "POP3GW_TEST_AZURE_CONNECTION";

    public static bool IsAzure =>
        string.Equals(Environment.GetEnvironmentVariable(ProviderVariable), "Azure", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The storage settings of a server whose embedded data would live in <paramref name="dataDirectory"/>.
    /// On Azure every server gets containers, a membership table and a cluster id of its own, derived
    /// from that directory, so a restarted server finds its data again and servers never share any.
    /// </summary>
    public static Dictionary<string, string> SettingsFor(string dataDirectory) =>
        IsAzure ? new(AzureSettings(AzureConnection(), dataDirectory)) { [EmulatorTimeoutKey] = EmulatorTimeout } : [];

    /// <summary>
    /// One Azurite request may take longer than the production limit (5 s) when the machine is loaded: Azurite is
    /// one Node.js process sharing the cores with the servers and the tests. These tests check behaviour on Azure
    /// storage, not its latency; the outage tests keep the production limit (<see cref="AzureSettings"/> alone).
    /// </summary>
    private const string EmulatorTimeoutKey = "POP3GW__Storage__AzureNetworkTimeout";

    private const string EmulatorTimeout = "00:00:10";

    /// <summary>Azure settings whose containers, table and cluster id derive from <paramref name="seed"/>.</summary>
    public static Dictionary<string, string> AzureSettings(string connection, string seed)
    {
        var id = "t" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)))[..12];
        return new()
        {
            ["POP3GW__Storage__Provider"] = "Azure",
            ["POP3GW__Storage__AzureConnectionString"] = connection,
            ["POP3GW__Storage__BlobContainer"] = $"{id}-messages",
            ["POP3GW__Storage__IndexContainer"] = $"{id}-index",
            ["POP3GW__Storage__StateContainer"] = $"{id}-state",
            ["POP3GW__Storage__ClusterTable"] = $"{id}cluster",
            ["POP3GW__Orleans__ClusterId"] = id,
        };
    }

    private static string AzureConnection() =>
        Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } connection
            ? connection
            : throw new InvalidOperationException(
                $"{ProviderVariable}=Azure needs {ConnectionVariable} (an Azurite connection string); tests/run.sh sets both");
}
