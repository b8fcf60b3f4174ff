using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Storage.Azure;

/// <summary>
/// The <see cref="IGrainStateCatalog"/> of the Orleans Azure Blob grain storage: a listing of the state container by
/// the blob names that storage writes, <c>{stateName}-{grainType}/{key}.json</c>.
/// </summary>
public sealed class AzureStateCatalog(BlobContainerClient container) : IGrainStateCatalog
{
    private const string Extension = ".json";

    public async IAsyncEnumerable<string> KeysAsync(string stateName, GrainType grainType, string keyPrefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var namePrefix = $"{stateName}-{grainType}/";
        var pages = container.GetBlobsAsync(BlobTraits.None, BlobStates.None, namePrefix + keyPrefix, cancellationToken).AsPages().GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                Page<BlobItem> page;
                try
                {
                    if (!await pages.MoveNextAsync())
                    {
                        yield break;
                    }
                    page = pages.Current;
                }
                catch (RequestFailedException e) when (e.Status == AzureBlobs.NotFound)
                {
                    // No container yet: nothing was ever stored.
                    yield break;
                }
                catch (Exception e) when (AzureBlobs.IsStorageFailure(e, cancellationToken))
                {
                    throw AzureBlobs.Unavailable($"list grain states '{namePrefix}' in container '{container.Name}'", e);
                }
                foreach (var blob in page.Values)
                {
                    if (blob.Name.EndsWith(Extension, StringComparison.Ordinal))
                    {
                        yield return blob.Name[namePrefix.Length..^Extension.Length];
                    }
                }
            }
        }
        finally
        {
            await pages.DisposeAsync();
        }
    }
}
