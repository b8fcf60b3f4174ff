using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;
using Pop3Gateway.Storage.Bodies;

namespace Pop3Gateway.Storage.Azure;

/// <summary>
/// Message bodies as block blobs <c>{mailbox}/{bodyId}</c>, whole or absent: a body of up to 256 KiB is stored by
/// one request, a larger one is staged block by block and visible once its block list is committed
/// (<see cref="BodyUploadStream"/>). Reads hand
/// out the blob's download stream: the bytes go from Blob storage straight to the POP3 client.
/// </summary>
public sealed class AzureBodyStore : IBodyStore
{
    private readonly AzureBlobs _blobs;
    private readonly TimeProvider _timeProvider;

    public AzureBodyStore(BlobServiceClient service, AzureStorageOptions options, TimeProvider timeProvider)
    {
        _blobs = new AzureBlobs(service.GetBlobContainerClient(options.BlobContainer));
        _timeProvider = timeProvider;
    }

    public async Task<StoredBody> WriteAsync(string mailbox, Stream source, CancellationToken cancellationToken)
    {
        var bodyId = BodyIds.NewId(_timeProvider);
        var blobName = BlobName(mailbox, bodyId);
        try
        {
            var (size, sha256) = await NormalizedBodyWriter.WriteAsync(
                source,
                async token => new BodyUploadStream((await _blobs.ReadyAsync(token)).GetBlockBlobClient(blobName)),
                (destination, token) => ((BodyUploadStream)destination).CompleteAsync(token),
                cancellationToken);
            return new StoredBody(bodyId, size, sha256);
        }
        catch (Exception e) when (AzureBlobs.IsStorageFailure(e, cancellationToken))
        {
            throw AzureBlobs.Unavailable($"store a message body for '{mailbox}'", e);
        }
    }

    public async Task<Stream> OpenReadAsync(string mailbox, string bodyId, CancellationToken cancellationToken)
    {
        try
        {
            var container = await _blobs.ReadyAsync(cancellationToken);
            var download = await container.GetBlobClient(BlobName(mailbox, CheckBodyId(bodyId))).DownloadStreamingAsync(cancellationToken: cancellationToken);
            return download.Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == AzureBlobs.NotFound)
        {
            throw new FileNotFoundException($"body '{bodyId}' of '{mailbox}' does not exist", bodyId, e);
        }
        catch (Exception e) when (AzureBlobs.IsStorageFailure(e, cancellationToken))
        {
            throw AzureBlobs.Unavailable($"open body '{bodyId}' of '{mailbox}'", e);
        }
    }

    public async Task<bool> ExistsAsync(string mailbox, string bodyId, CancellationToken cancellationToken)
    {
        if (!BodyIds.IsWellFormed(bodyId))
        {
            return false;
        }
        try
        {
            var container = await _blobs.ReadyAsync(cancellationToken);
            return await container.GetBlobClient(BlobName(mailbox, bodyId)).ExistsAsync(cancellationToken);
        }
        catch (Exception e) when (AzureBlobs.IsStorageFailure(e, cancellationToken))
        {
            throw AzureBlobs.Unavailable($"look up body '{bodyId}' of '{mailbox}'", e);
        }
    }

    public async Task DeleteAsync(string mailbox, string bodyId, CancellationToken cancellationToken)
    {
        try
        {
            var container = await _blobs.ReadyAsync(cancellationToken);
            await container.GetBlobClient(BlobName(mailbox, CheckBodyId(bodyId))).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        }
        catch (Exception e) when (AzureBlobs.IsStorageFailure(e, cancellationToken))
        {
            throw AzureBlobs.Unavailable($"delete body '{bodyId}' of '{mailbox}'", e);
        }
    }

    public async IAsyncEnumerable<BodyListing> ListAsync(string mailbox, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prefix = BlobName(mailbox, "");
        var container = await _blobs.ReadyAsync(cancellationToken);
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken))
        {
            yield return new BodyListing(blob.Name[prefix.Length..], blob.Properties.CreatedOn ?? blob.Properties.LastModified ?? DateTimeOffset.MaxValue);
        }
    }

    private static string BlobName(string mailbox, string bodyId)
    {
        if (!MailboxNames.TryNormalize(mailbox, out var normalized, out _) || normalized != mailbox)
        {
            throw new ArgumentException("invalid mailbox name", nameof(mailbox));
        }
        return mailbox + "/" + bodyId;
    }

    private static string CheckBodyId(string bodyId) =>
        BodyIds.IsWellFormed(bodyId) ? bodyId : throw new ArgumentException("invalid body id", nameof(bodyId));
}
