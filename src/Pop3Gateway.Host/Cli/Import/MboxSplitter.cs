using System.Text;
using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Host.Cli.Import;

public enum MboxFormat
{
    /// <summary>Writers quote every <c>&gt;*From </c> line with one more '&gt;'; readers remove one.</summary>
    Mboxrd,
    /// <summary>Writers quote only <c>From </c> lines; readers remove the '&gt;' of <c>&gt;From </c> (ambiguous, but what old files need).</summary>
    Mboxo,
}

/// <summary>
/// Splits an mbox file into one temporary file per message, in file order, streaming (a message is
/// never held in memory). A message starts at a <c>From </c> line that begins the file or follows an
/// empty line; that empty line is the separator and not part of the message. The <c>From </c> line
/// itself is dropped; quoted <c>&gt;From </c> lines are unquoted per <see cref="MboxFormat"/>.
/// </summary>
public static class MboxSplitter
{
    private static readonly byte[] From = "From "u8.ToArray();

    /// <summary>A message after this line starts with an <c>X-UIDL</c> line that <c>pop3gw export</c> added.</summary>
    private static readonly byte[] ExportFrom = Encoding.ASCII.GetBytes($"From {Export.MboxWriter.Sender} ");

    public static async Task<IReadOnlyList<ImportItem>> SplitAsync(string path, string directory, MboxFormat format, CancellationToken cancellationToken)
    {
        var items = new List<ImportItem>();
        await using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        var reader = new LineReader(input);
        FileStream? current = null;
        string? currentPath = null;
        string? uidl = null;
        var inHeaders = false;
        byte[]? pendingBlank = null;
        var first = true;
        var exportHeader = false;
        try
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (IsFromLine(line) && (first || pendingBlank is not null))
                {
                    await FinishAsync();
                    currentPath = Path.Combine(directory, $"{items.Count + 1:D7}.eml");
                    current = PrivateFiles.CreateNew(currentPath, 64 * 1024, FileOptions.Asynchronous);
                    inHeaders = true;
                    uidl = null;
                    pendingBlank = null;
                    first = false;
                    exportHeader = line.AsSpan().StartsWith(ExportFrom);
                    continue;
                }
                if (first)
                {
                    throw new ImportFormatException($"'{path}' is not an mbox file: it does not start with a 'From ' line");
                }
                if (pendingBlank is not null)
                {
                    await current!.WriteAsync(pendingBlank, cancellationToken);
                    pendingBlank = null;
                }
                if (IsBlank(line))
                {
                    inHeaders = false;
                    pendingBlank = line;
                    continue;
                }
                if (inHeaders && uidl is null && StartsWithIgnoreCase(line, "x-uidl:"))
                {
                    var value = Encoding.Latin1.GetString(line, 7, line.Length - 7).Trim();
                    uidl = PopUidl.IsValid(value) ? value : null;
                    if (exportHeader)
                    {
                        exportHeader = false;
                        continue; // added by pop3gw export, not part of the message
                    }
                }
                exportHeader = false;
                await current!.WriteAsync(Unquote(line, format), cancellationToken);
            }
            await FinishAsync();
        }
        finally
        {
            if (current is not null)
            {
                await current.DisposeAsync();
            }
        }
        return items;

        async Task FinishAsync()
        {
            if (current is null)
            {
                return;
            }
            await current.DisposeAsync();
            current = null;
            items.Add(new ImportItem(currentPath!, uidl, $"message {items.Count + 1}"));
        }
    }

    private static bool IsFromLine(byte[] line) => line.AsSpan().StartsWith(From);

    private static bool IsBlank(byte[] line) => line is [(byte)'\n'] or [(byte)'\r', (byte)'\n'];

    private static bool StartsWithIgnoreCase(byte[] line, string prefix) =>
        line.Length >= prefix.Length && Encoding.Latin1.GetString(line, 0, prefix.Length).Equals(prefix, StringComparison.OrdinalIgnoreCase);

    private static ReadOnlyMemory<byte> Unquote(byte[] line, MboxFormat format)
    {
        var quotes = 0;
        while (quotes < line.Length && line[quotes] == '>')
        {
            quotes++;
        }
        var quotedFrom = quotes > 0 && line.AsSpan(quotes).StartsWith(From);
        return quotedFrom && (format == MboxFormat.Mboxrd || quotes == 1) ? line.AsMemory(1) : line;
    }

    /// <summary>Reads lines (LF included) of any length from a stream.</summary>
    private sealed class LineReader(Stream input)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public async Task<byte[]?> ReadLineAsync(CancellationToken cancellationToken)
        {
            using var line = new MemoryStream();
            while (true)
            {
                if (_start == _end)
                {
                    _start = 0;
                    _end = await input.ReadAsync(_buffer, cancellationToken);
                    if (_end == 0)
                    {
                        return line.Length == 0 ? null : line.ToArray();
                    }
                }
                var lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                var stop = lf < 0 ? _end : lf + 1;
                line.Write(_buffer, _start, stop - _start);
                _start = stop;
                if (lf >= 0)
                {
                    return line.ToArray();
                }
            }
        }
    }
}
