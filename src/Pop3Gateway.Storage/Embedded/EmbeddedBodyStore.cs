using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;
using Pop3Gateway.Storage.Bodies;

namespace Pop3Gateway.Storage.Embedded;

/// <summary>
/// Message bodies as files: <c>{DataDirectory}/bodies/{mailbox}/{bodyId}.eml</c>, written through
/// a temp file that <see cref="GroupCommit"/> makes durable and renames into place, so a body is either whole or absent.
/// </summary>
public sealed class EmbeddedBodyStore : IBodyStore
{
    private const string Extension = ".eml";

    private readonly string _root;
    private readonly GroupCommit _commit;
    private readonly TimeProvider _timeProvider;

    public EmbeddedBodyStore(IOptions<EmbeddedStorageOptions> options, TimeProvider timeProvider)
    {
        _root = Path.GetFullPath(Path.Combine(options.Value.DataDirectory, "bodies"));
        _commit = new GroupCommit(_root);
        _timeProvider = timeProvider;
    }

    public async Task<StoredBody> WriteAsync(string mailbox, Stream source, CancellationToken cancellationToken)
    {
        var directory = MailboxDirectory(mailbox);
        var bodyId = BodyIds.NewId(_timeProvider);
        var tempPath = DurableFiles.NewTempPath(directory);
        var published = false;
        try
        {
            var (size, sha256) = await NormalizedBodyWriter.WriteAsync(
                source,
                _ =>
                {
                    PrivateFiles.CreateDirectory(directory);
                    return Task.FromResult<Stream>(PrivateFiles.CreateNew(tempPath, bufferSize: 0, FileOptions.Asynchronous));
                },
                (_, _) => Task.CompletedTask,
                cancellationToken);
            await _commit.PublishAsync(tempPath, BodyPath(directory, bodyId), overwrite: false);
            published = true;
            return new StoredBody(bodyId, size, sha256);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException($"could not store a message body for '{mailbox}': {e.Message}", e);
        }
        finally
        {
            if (!published)
            {
                DurableFiles.TryDelete(tempPath);
            }
        }
    }

    public Task<Stream> OpenReadAsync(string mailbox, string bodyId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = BodyPath(MailboxDirectory(mailbox), CheckBodyId(bodyId));
        try
        {
            Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, NormalizedBodyWriter.ChunkSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return Task.FromResult(stream);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new FileNotFoundException($"body '{bodyId}' of '{mailbox}' does not exist", path, e);
        }
        catch (FileNotFoundException)
        {
            throw;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException($"could not open body '{bodyId}' of '{mailbox}': {e.Message}", e);
        }
    }

    public Task<bool> ExistsAsync(string mailbox, string bodyId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!BodyIds.IsWellFormed(bodyId))
        {
            return Task.FromResult(false);
        }
        return Task.FromResult(File.Exists(BodyPath(MailboxDirectory(mailbox), bodyId)));
    }

    public Task DeleteAsync(string mailbox, string bodyId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = BodyPath(MailboxDirectory(mailbox), CheckBodyId(bodyId));
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // The mailbox never had a body: nothing to delete.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException($"could not delete body '{bodyId}' of '{mailbox}': {e.Message}", e);
        }
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<BodyListing> ListAsync(string mailbox, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var directory = new DirectoryInfo(MailboxDirectory(mailbox));
        if (!directory.Exists)
        {
            yield break;
        }
        foreach (var file in directory.EnumerateFiles("*" + Extension))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new BodyListing(Path.GetFileNameWithoutExtension(file.Name), file.LastWriteTimeUtc);
        }
        await Task.CompletedTask;
    }

    private string MailboxDirectory(string mailbox)
    {
        if (!MailboxNames.TryNormalize(mailbox, out var normalized, out var error) || normalized != mailbox)
        {
            throw new ArgumentException($"invalid mailbox name: {(error.Length > 0 ? error : "not normalized")}", nameof(mailbox));
        }
        return Path.Combine(_root, mailbox);
    }

    private static string CheckBodyId(string bodyId) =>
        BodyIds.IsWellFormed(bodyId) ? bodyId : throw new ArgumentException("invalid body id", nameof(bodyId));

    private static string BodyPath(string directory, string bodyId) => Path.Combine(directory, bodyId + Extension);
}
