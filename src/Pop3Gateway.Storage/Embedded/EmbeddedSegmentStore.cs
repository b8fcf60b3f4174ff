using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Storage.Embedded;

/// <summary>
/// Index segments as files: <c>{DataDirectory}/index/{mailbox}/{segment}.seg</c>, each written
/// through a temp file that <see cref="GroupCommit"/> makes durable and renames into place.
/// </summary>
public sealed class EmbeddedSegmentStore : IMailboxSegmentStore
{
    private const string Extension = ".seg";

    private readonly string _root;
    private readonly GroupCommit _commit;

    public EmbeddedSegmentStore(IOptions<EmbeddedStorageOptions> options)
    {
        _root = Path.GetFullPath(Path.Combine(options.Value.DataDirectory, "index"));
        _commit = new GroupCommit(_root);
    }

    public async Task WriteAsync(string mailbox, string segment, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var directory = MailboxDirectory(mailbox);
        var tempPath = DurableFiles.NewTempPath(directory);
        try
        {
            PrivateFiles.CreateDirectory(directory);
            await using (var file = PrivateFiles.CreateNew(tempPath, bufferSize: 0, FileOptions.Asynchronous))
            {
                await file.WriteAsync(content, cancellationToken);
            }
            await _commit.PublishAsync(tempPath, SegmentPath(directory, segment), overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DurableFiles.TryDelete(tempPath);
            throw new StorageUnavailableException($"could not write index segment '{segment}' of '{mailbox}': {e.Message}", e);
        }
    }

    public async Task<byte[]> ReadAsync(string mailbox, string segment, CancellationToken cancellationToken)
    {
        var path = SegmentPath(MailboxDirectory(mailbox), segment);
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InvalidDataException($"index segment '{segment}' of '{mailbox}' is missing", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException($"could not read index segment '{segment}' of '{mailbox}': {e.Message}", e);
        }
    }

    public Task DeleteAsync(string mailbox, string segment, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            File.Delete(SegmentPath(MailboxDirectory(mailbox), segment));
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException($"could not delete index segment '{segment}' of '{mailbox}': {e.Message}", e);
        }
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<StoredItem> ListAsync(string mailbox, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var directory = new DirectoryInfo(MailboxDirectory(mailbox));
        if (!directory.Exists)
        {
            yield break;
        }
        foreach (var file in directory.EnumerateFiles("*" + Extension))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new StoredItem(Path.GetFileNameWithoutExtension(file.Name), file.LastWriteTimeUtc);
        }
        await Task.CompletedTask;
    }

    private string MailboxDirectory(string mailbox)
    {
        if (!MailboxNames.TryNormalize(mailbox, out var normalized, out _) || normalized != mailbox)
        {
            throw new ArgumentException("invalid mailbox name", nameof(mailbox));
        }
        return Path.Combine(_root, mailbox);
    }

    private static string SegmentPath(string directory, string segment) =>
        BodyIds.IsWellFormed(segment)
            ? Path.Combine(directory, segment + Extension)
            : throw new ArgumentException("invalid segment name", nameof(segment));
}
