using System.Buffers;
using Pop3Gateway.Protocol.Lmtp;
using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Frontend.Lmtp;

/// <summary>
/// One DATA section on its way to a temporary file: decoded chunk by chunk, written as it
/// arrives, and dropped (but still read to its end) once it passes the size limit or has a bare LF.
/// The file is deleted when the spool is disposed.
/// </summary>
internal sealed class Spool : IDisposable
{
    private readonly DataDecoder _decoder = new();
    private readonly ArrayBufferWriter<byte> _pending = new();
    private readonly string _path;
    private readonly FileStream _file;
    private readonly long _maxSize;

    private Spool(string path, long maxSize)
    {
        _path = path;
        _maxSize = maxSize;
        _file = PrivateFiles.CreateNew(path, 64 * 1024, FileOptions.Asynchronous, FileShare.Read);
    }

    public static Spool Create(string directory, long maxSize)
    {
        var root = string.IsNullOrEmpty(directory) ? Path.GetTempPath() : directory;
        PrivateFiles.CreateDirectory(root);
        return new Spool(Path.Combine(root, $"pop3gw-lmtp-{Guid.NewGuid():N}.tmp"), maxSize);
    }

    public long Size => _decoder.Size;

    public bool TooLarge => _decoder.Size > _maxSize;

    /// <summary>A line ended in a bare LF: the message is refused, so nothing more is written.</summary>
    public bool BareLineFeed => _decoder.BareLineFeed;

    /// <summary>Why the message is refused once read to its end; null when it can be delivered.</summary>
    public DataRefusal? Refusal => BareLineFeed ? DataRefusal.BareLineFeed : TooLarge ? DataRefusal.TooLarge : null;

    public LmtpMessage Message => new(Size, OpenAsync);

    /// <summary>Decodes what <paramref name="buffer"/> holds; true once the end line was read. Follow with <see cref="WriteAsync"/>.</summary>
    public bool Receive(ref ReadOnlySequence<byte> buffer) => _decoder.Decode(ref buffer, _pending);

    /// <summary>Writes what <see cref="Receive"/> decoded, unless the message is already refused.</summary>
    public async ValueTask WriteAsync(CancellationToken cancellationToken)
    {
        if (Refusal is null && _pending.WrittenCount > 0)
        {
            await _file.WriteAsync(_pending.WrittenMemory, cancellationToken);
        }
        _pending.ResetWrittenCount();
    }

    /// <summary>Makes the spooled bytes readable through <see cref="Message"/>.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken) => await _file.FlushAsync(cancellationToken);

    private Task<Stream> OpenAsync(CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024, FileOptions.Asynchronous));

    public void Dispose()
    {
        _file.Dispose();
        try
        {
            File.Delete(_path);
        }
        catch (IOException)
        {
        }
    }
}
