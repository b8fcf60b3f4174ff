using Azure;
using Azure.Storage.Blobs;
using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Storage.Azure;

/// <summary>One blob container, created on first use, and the error mapping the stores share.</summary>
internal sealed class AzureBlobs(BlobContainerClient container)
{
    public const int NotFound = 404;

    private readonly SemaphoreSlim _createGate = new(1, 1);
    private volatile bool _created;

    public BlobContainerClient Container { get; } = container;

    /// <summary>Creates the container once; a failure is retried on the next call.</summary>
    public async Task<BlobContainerClient> ReadyAsync(CancellationToken cancellationToken)
    {
        if (_created)
        {
            return Container;
        }
        await _createGate.WaitAsync(cancellationToken);
        try
        {
            if (!_created)
            {
                await Container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                _created = true;
            }
            return Container;
        }
        finally
        {
            _createGate.Release();
        }
    }

    /// <summary>True for failures that mean "storage unreachable or failing", as opposed to the caller cancelling.</summary>
    public static bool IsStorageFailure(Exception e, CancellationToken cancellationToken) =>
        e is RequestFailedException or AggregateException or IOException or HttpRequestException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    public static StorageUnavailableException Unavailable(string what, Exception e) =>
        new($"could not {what}: {e.Message}", e);
}
