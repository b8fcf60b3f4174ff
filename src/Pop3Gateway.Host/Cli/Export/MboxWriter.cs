using System.Globalization;
using System.Text;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Host.Cli.Export;

/// <summary>
/// Writes one mboxrd file, <c>DIR/MAILBOX.mbox</c>, with Unix line ends (RFC 4155): per message a
/// <c>From pop3gw-export DATE</c> line, an <c>X-UIDL:</c> header with its UIDL, the stored bytes with
/// CRLF as LF and every <c>&gt;*From </c> line quoted with one more '&gt;', then an empty line. The import
/// reverses each step (<see cref="Import.MboxSplitter"/>): it unquotes, turns LF back into CRLF, and drops
/// the <c>X-UIDL</c> line that follows this exporter's <c>From</c> line, so the bodies come back byte for byte.
/// Stored bodies end with CRLF and hold no bare CR or LF, which is what makes that exact.
/// </summary>
public sealed class MboxWriter(string directory, string mailbox) : IExportWriter
{
    /// <summary>The envelope sender of this exporter's <c>From</c> lines: the import knows its <c>X-UIDL</c> line by it.</summary>
    public const string Sender = "pop3gw-export";

    private const int BufferSize = 64 * 1024;

    private readonly FileStream _file = PrivateFiles.CreateNew(Path.Combine(directory, mailbox + ".mbox"), BufferSize, FileOptions.Asynchronous);
    private readonly byte[] _chunk = new byte[BufferSize];
    private readonly MboxrdQuoter _quoter = new();

    public async Task WriteAsync(IndexEntry entry, Stream body, CancellationToken cancellationToken)
    {
        var delivered = (entry.Delivered ?? DateTimeOffset.UtcNow).UtcDateTime;
        var envelope = string.Create(CultureInfo.InvariantCulture,
            $"From {Sender} {delivered:ddd MMM} {delivered.Day,2} {delivered:HH:mm:ss yyyy}\nX-UIDL: {entry.Uidl}\n");
        await _file.WriteAsync(Encoding.ASCII.GetBytes(envelope), cancellationToken);
        _quoter.Start();
        int read;
        while ((read = await body.ReadAsync(_chunk, cancellationToken)) > 0)
        {
            await _file.WriteAsync(_quoter.Convert(_chunk.AsSpan(0, read)), cancellationToken);
        }
        await _file.WriteAsync(_quoter.Finish(), cancellationToken);
    }

    public Task CompleteAsync(CancellationToken cancellationToken) => _file.FlushAsync(cancellationToken);

    public ValueTask DisposeAsync() => _file.DisposeAsync();
}

/// <summary>
/// Turns a message, chunk by chunk, into mboxrd lines: CRLF becomes LF, a line matching <c>&gt;*From </c>
/// gains a '&gt;', and the message ends with its last line's LF and the empty separator line. Only the
/// start of the current line is held back (its run of '&gt;' is counted, not kept), never a whole line.
/// </summary>
public sealed class MboxrdQuoter
{
    private static readonly byte[] From = "From "u8.ToArray();

    private readonly MemoryStream _output = new();
    /// <summary>At the start of a line: '&gt;' seen so far, and how much of "From " followed them.</summary>
    private int _quotes;
    private int _matched;
    private bool _atLineStart;
    private bool _pendingCr;

    public void Start()
    {
        _atLineStart = true;
        _quotes = 0;
        _matched = 0;
        _pendingCr = false;
    }

    public ReadOnlyMemory<byte> Convert(ReadOnlySpan<byte> chunk)
    {
        _output.SetLength(0);
        foreach (var b in chunk)
        {
            if (_atLineStart && Head(b))
            {
                continue;
            }
            if (_pendingCr)
            {
                _pendingCr = false;
                if (b != (byte)'\n')
                {
                    _output.WriteByte((byte)'\r');
                }
            }
            if (b == (byte)'\r')
            {
                _pendingCr = true;
                continue;
            }
            _output.WriteByte(b);
            _atLineStart = b == (byte)'\n';
        }
        return _output.GetBuffer().AsMemory(0, (int)_output.Length);
    }

    /// <summary>The rest of the last line, its LF if it had none, and the empty line that separates messages.</summary>
    public ReadOnlyMemory<byte> Finish()
    {
        _output.SetLength(0);
        var ended = _atLineStart && _quotes == 0 && _matched == 0 && !_pendingCr;
        if (_atLineStart)
        {
            FlushHead(quote: false);
        }
        if (_pendingCr)
        {
            _output.WriteByte((byte)'\r');
        }
        _output.Write(ended ? "\n"u8 : "\n\n"u8);
        return _output.GetBuffer().AsMemory(0, (int)_output.Length);
    }

    /// <summary>Takes <paramref name="b"/> into the start of the line while it may still become <c>&gt;*From </c>; false once decided.</summary>
    private bool Head(byte b)
    {
        if (_matched == 0 && b == (byte)'>')
        {
            _quotes++;
            return true;
        }
        if (b == From[_matched])
        {
            if (++_matched < From.Length)
            {
                return true;
            }
            FlushHead(quote: true);
            return true;
        }
        FlushHead(quote: false);
        return false;
    }

    private void FlushHead(bool quote)
    {
        for (var i = quote ? -1 : 0; i < _quotes; i++)
        {
            _output.WriteByte((byte)'>');
        }
        _output.Write(From, 0, _matched);
        _quotes = 0;
        _matched = 0;
        _atLineStart = false;
    }
}
