using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;
using Pop3Gateway.Host.Cli.Import;

namespace Pop3Gateway.Host.Cli.Export;

/// <summary>
/// Writes a Maildir: each message, its bytes as stored, goes to <c>tmp/</c> and is then renamed into
/// <c>cur/</c> as <c>SECONDS.MMICROSQn.pop3gw,S=SIZE:2,</c> (the delivery time, a counter, the size), dated
/// by its delivery time. <c>dovecot-uidlist</c> (version 3, as <see cref="DovecotUidList"/> reads it) lists
/// the messages in mailbox order with UIDs 1, 2, … and each one's UIDL in the <c>P</c> field, the field in
/// which Dovecot keeps a POP3 UIDL: Dovecot's POP3 serves it as is, whatever <c>pop3_uidl_format</c> says.
/// </summary>
internal sealed class MaildirWriter : IExportWriter
{
    private const int BufferSize = 64 * 1024;

    private readonly string _tmp;
    private readonly string _cur;
    private readonly string _uidlist;
    private readonly string _entriesPath;
    private readonly StreamWriter _entries;
    private uint _uid;

    public MaildirWriter(string directory)
    {
        _tmp = PrivateFiles.CreateDirectory(Path.Combine(directory, "tmp")).FullName;
        _cur = PrivateFiles.CreateDirectory(Path.Combine(directory, "cur")).FullName;
        PrivateFiles.CreateDirectory(Path.Combine(directory, "new"));
        _uidlist = Path.Combine(directory, DovecotUidList.FileName);
        // The header needs the count, known at the end: the entries wait in tmp/ until then.
        _entriesPath = Path.Combine(_tmp, DovecotUidList.FileName + ".entries");
        _entries = new StreamWriter(PrivateFiles.CreateNew(_entriesPath, BufferSize, FileOptions.Asynchronous), Encoding.ASCII) { NewLine = "\n" };
    }

    public async Task WriteAsync(IndexEntry entry, Stream body, CancellationToken cancellationToken)
    {
        var uid = ++_uid;
        var delivered = entry.Delivered ?? DateTimeOffset.UtcNow;
        var baseName = string.Create(CultureInfo.InvariantCulture,
            $"{delivered.ToUnixTimeSeconds()}.M{delivered.Millisecond * 1000}Q{uid}.pop3gw");
        var temporary = Path.Combine(_tmp, baseName);
        await using (var file = PrivateFiles.CreateNew(temporary, BufferSize, FileOptions.Asynchronous))
        {
            await body.CopyToAsync(file, cancellationToken);
        }
        var size = new FileInfo(temporary).Length;
        var final = Path.Combine(_cur, string.Create(CultureInfo.InvariantCulture, $"{baseName},S={size}:2,"));
        File.SetLastWriteTimeUtc(temporary, delivered.UtcDateTime);
        File.Move(temporary, final);
        await _entries.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{uid} P{entry.Uidl} :{baseName},S={size}").AsMemory(), cancellationToken);
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await _entries.DisposeAsync();
        var validity = (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var guid = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await using (var file = PrivateFiles.CreateNew(_uidlist, BufferSize, FileOptions.Asynchronous))
        {
            await file.WriteAsync(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"3 V{validity} N{_uid + 1} G{guid}\n")), cancellationToken);
            await using var entries = new FileStream(_entriesPath, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
            await entries.CopyToAsync(file, cancellationToken);
        }
        File.Delete(_entriesPath);
    }

    public async ValueTask DisposeAsync() => await _entries.DisposeAsync();
}
