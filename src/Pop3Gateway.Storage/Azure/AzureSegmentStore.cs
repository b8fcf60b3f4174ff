using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Storage.Azure;

/// <summary>Mailbox index segments as block blobs <c>{mailbox}/{segment}</c>, each uploaded in one request.</summary>
public sealed class AzureSegmentStore : IMailboxSegmentStore
{
    private readonly AzureBlobs _blobs;

    public AzureSegmentStore(BlobServiceClient service, AzureStorageOptions options)
    {
        _blobs = new AzureBlobs(service.GetBlobContainerClient(options.IndexContainer));
    }

    public async Task WriteAsync(string mailbox, string segment, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        try
        {
            var container = await _blobs.ReadyAsync(cancellationToken);
            await container.GetBlobClient(BlobName(mailbox, segment)).UploadAsync(BinaryData.FromBytes(content), overwrite: true, cancellationToken);
        }
        catch (Exception e) when (AzureBlobs.IsStorageFailure(e, cancellationToken))
        {
            throw AzureBlobs.Unavailable($"write index segment '{segment}' of '{mailbox}'", e);
        }
    }

    public async Task<byte[]> ReadAsync(string mailbox, string segment, CancellationToken cancellationToken)
    {
        try
        {
            var container = await _blobs.ReadyAsync(cancellationToken);
            var download = await container.GetBlobClient(BlobName(mailbox, segment)).DownloadContentAsync(cancellationToken);
            return download.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == AzureBlobs.NotFound)
        {
            throw new InvalidDataException($"index segment '{segment}' of '{mailbox}' is missing", e);
        }
        catch (Exception e) when (AzureBlobs.IsStorageFailure(e, cancellationToken))
        {
            throw AzureBlobs.Unavailable($"read index segment '{segment}' of '{mailbox}'", e);
        }
    }

    public async Task DeleteAsync(string mailbox, string segment, CancellationToken cancellationToken)
    {
        try
        {
            var container = await _blobs.ReadyAsync(cancellationToken);
            await container.GetBlobClient(BlobName(mailbox, segment)).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        }
        catch (Exception e) when (AzureBlobs.IsStorageFailure(e, cancellationToken))
        {
            throw AzureBlobs.Unavailable($"delete index segment '{segment}' of '{mailbox}'", e);
        }
    }

    public async IAsyncEnumerable<StoredItem> ListAsync(string mailbox, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prefix = BlobName(mailbox, "");
        var container = await _blobs.ReadyAsync(cancellationToken);
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken))
        {
            yield return new StoredItem(blob.Name[prefix.Length..], blob.Properties.CreatedOn ?? blob.Properties.LastModified ?? DateTimeOffset.MaxValue);
        }
    }

    private static string BlobName(string mailbox, string segment)
    {
        if (!MailboxNames.TryNormalize(mailbox, out var normalized, out _) || normalized != mailbox)
        {
            throw new ArgumentException("invalid mailbox name", nameof(mailbox));
        }
        if (segment.Length > 0 && !BodyIds.IsWellFormed(segment))
        {
            throw new ArgumentException("invalid segment name", nameof(segment));
        }
        return mailbox + "/" + segment;
    }
}
