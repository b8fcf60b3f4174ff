using System.Buffers;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Pop3Gateway.Storage.Azure;

/// <summary>
/// The destination of one body upload. A body of up to <see cref="SingleRequestLimit"/> bytes is held in memory and
/// stored by one Put Blob request at <see cref="CompleteAsync"/> (most mail is far smaller): a third of the
/// requests of staging a block and committing the list. A larger body switches to the block blob's write stream
/// (its first bytes included), which stages blocks as they fill and commits the list when it is closed. Either
/// way the blob must not exist yet (If-None-Match: *), and it is visible only once whole.
/// </summary>
internal sealed class BodyUploadStream(BlockBlobClient blob) : Stream
{
    /// <summary>Largest body sent in one request; bounds the memory of one upload.</summary>
    public const int SingleRequestLimit = 256 * 1024;

    private static readonly BlobRequestConditions CreateOnly = new() { IfNoneMatch = ETag.All };

    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(SingleRequestLimit);
    private int _length;
    private Stream? _blocks;
    private bool _completed;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_buffer is null && _blocks is null, this);
        if (_blocks is null && _length + buffer.Length <= SingleRequestLimit)
        {
            buffer.CopyTo(_buffer.AsMemory(_length));
            _length += buffer.Length;
            return;
        }
        if (_blocks is null)
        {
            var options = new BlockBlobOpenWriteOptions { OpenConditions = CreateOnly };
            // Closing this stream commits the block list: only then is the body visible.
            _blocks = await blob.OpenWriteAsync(overwrite: true, options, cancellationToken);
            await _blocks.WriteAsync(_buffer.AsMemory(0, _length), cancellationToken);
            ReturnBuffer();
        }
        await _blocks.WriteAsync(buffer, cancellationToken);
    }

    /// <summary>Stores a body held in memory; a larger one is committed when this stream is closed.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_blocks is null && !_completed)
        {
            var options = new BlobUploadOptions { Conditions = CreateOnly };
            using var content = new MemoryStream(_buffer!, 0, _length, writable: false);
            await blob.UploadAsync(content, options, cancellationToken);
            _completed = true;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        ReturnBuffer();
        if (_blocks is not null)
        {
            await _blocks.DisposeAsync();
            _blocks = null;
        }
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        ReturnBuffer();
        if (disposing)
        {
            _blocks?.Dispose();
            _blocks = null;
        }
        base.Dispose(disposing);
    }

    private void ReturnBuffer()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("asynchronous writes only");

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
