namespace Pop3Bench;

/// <summary>
/// TLS handshakes and how many were resumed. .NET exposes no "resumed" flag; a TLS 1.3 handshake that
/// resumes a session carries no Certificate message, so a handshake that read fewer bytes from the
/// server than the certificate's DER size resumed one.
/// </summary>
public sealed class TlsHandshakeLog(int certificateSize)
{
    private long _handshakes;
    private long _resumed;
    private long _bytes;

    public long Handshakes => Interlocked.Read(ref _handshakes);

    public double ResumedPercent => Handshakes == 0 ? double.NaN : 100.0 * Interlocked.Read(ref _resumed) / Handshakes;

    public double MeanBytes => Handshakes == 0 ? double.NaN : (double)Interlocked.Read(ref _bytes) / Handshakes;

    public void Reset()
    {
        Interlocked.Exchange(ref _handshakes, 0);
        Interlocked.Exchange(ref _resumed, 0);
        Interlocked.Exchange(ref _bytes, 0);
    }

    public void Add(long bytesRead)
    {
        Interlocked.Increment(ref _handshakes);
        Interlocked.Add(ref _bytes, bytesRead);
        if (bytesRead < certificateSize)
        {
            Interlocked.Increment(ref _resumed);
        }
    }
}

/// <summary>Passes reads and writes through and counts the bytes read (the handshake's, when read before any data).</summary>
internal sealed class CountingStream(Stream inner) : Stream
{
    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        BytesRead += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        BytesRead += read;
        return read;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
