using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace Pop3Gateway.Storage.Azure;

/// <summary>Azure SDK clients with the short retry and timeout policy of <see cref="AzureStorageOptions"/>.</summary>
public static class AzureClients
{
    /// <summary>First retry delay; retries back off exponentially up to <see cref="MaxRetryDelay"/>.</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest pause between retries: with two retries an outage shows within a few seconds.</summary>
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(1);

    public static BlobServiceClient Blobs(AzureStorageOptions options)
    {
        var clientOptions = new BlobClientOptions();
        Configure(clientOptions.Retry, options);
        return new BlobServiceClient(options.ConnectionString, clientOptions);
    }

    public static TableServiceClient Tables(AzureStorageOptions options)
    {
        var clientOptions = new TableClientOptions();
        Configure(clientOptions.Retry, options);
        return new TableServiceClient(options.ConnectionString, clientOptions);
    }

    private static void Configure(RetryOptions retry, AzureStorageOptions options)
    {
        retry.Mode = RetryMode.Exponential;
        retry.MaxRetries = options.MaxRetries;
        retry.Delay = RetryDelay;
        retry.MaxDelay = MaxRetryDelay;
        retry.NetworkTimeout = options.NetworkTimeout;
    }
}
