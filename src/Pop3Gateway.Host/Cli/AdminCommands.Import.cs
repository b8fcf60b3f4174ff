using Pop3Gateway.Abstractions;
using Pop3Gateway.Host.Cli.Import;
using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Host.Cli;

/// <summary><c>pop3gw import MAILBOX PATH</c>: a Maildir or an mbox file, in order, UIDLs kept where the source has them.</summary>
public sealed partial class AdminCommands
{
    /// <summary>Progress is reported on stderr every this many messages.</summary>
    private const int ImportProgressInterval = 100;

    /// <param name="mboxFormat">The <c>--mbox-format</c> value as given (<c>mboxrd</c> when null).</param>
    /// <param name="dedupe">Skip messages already delivered (<c>--dedupe</c>); not yet used by the delivery path.</param>
    public async Task<int> ImportAsync(string mailbox, string path, string? mboxFormat, bool dedupe)
    {
        var name = NormalizeName(mailbox, "mailbox");
        var format = mboxFormat switch
        {
            null or "mboxrd" => MboxFormat.Mboxrd,
            "mboxo" => MboxFormat.Mboxo,
            var other => throw new UsageException($"--mbox-format must be mboxrd or mboxo, not '{other}'"),
        };
        if (!Directory.Exists(path) && !File.Exists(path))
        {
            throw new UsageException($"cannot read '{path}': no such file or directory");
        }
        var scratch = Path.Combine(Path.GetTempPath(), $"pop3gw-import-{Guid.NewGuid():N}");
        try
        {
            var items = await ReadSourceAsync(path, scratch, format);
            var duplicate = items.Where(i => i.PreservedUidl is not null).GroupBy(i => i.PreservedUidl).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw new UsageException($"cannot import '{path}': UIDL '{duplicate.Key}' appears more than once ({string.Join(", ", duplicate.Select(i => i.Label).Take(3))})");
            }
            await using var admin = await ConnectAsync();
            var grain = admin.Grains.GetGrain<IMailboxGrain>(name);
            if (!(await Call(() => grain.Describe())).Exists)
            {
                throw new UsageException($"no such mailbox: {name}");
            }
            return await DeliverItemsAsync(new Delivery(admin, name, dedupe), name, items);
        }
        finally
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    private static async Task<IReadOnlyList<ImportItem>> ReadSourceAsync(string path, string scratch, MboxFormat format)
    {
        try
        {
            if (Directory.Exists(path))
            {
                return MaildirSource.Read(path);
            }
            PrivateFiles.CreateDirectory(scratch);
            return await MboxSplitter.SplitAsync(path, scratch, format, CancellationToken.None);
        }
        catch (ImportFormatException e)
        {
            throw new UsageException($"cannot import '{path}': {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read '{path}': {e.Message}");
        }
    }

    private async Task<int> DeliverItemsAsync(Delivery delivery, string name, IReadOnlyList<ImportItem> items)
    {
        int imported = 0, preserved = 0, present = 0;
        foreach (var item in items)
        {
            var result = await delivery.TryDeliverAsync(item.File, stdin, item.PreservedUidl);
            if (result.Status == MailboxStatus.Ok && result.Duplicate)
            {
                present++; // delivered by an earlier run (--dedupe): same Message-ID and body
            }
            else if (result.Status == MailboxStatus.Ok)
            {
                imported++;
                preserved += item.PreservedUidl is null ? 0 : 1;
            }
            else if (result.Status == MailboxStatus.InvalidRequest && item.PreservedUidl is not null
                && result.Error?.Contains($"UIDL '{item.PreservedUidl}' is already used", StringComparison.Ordinal) == true)
            {
                present++; // imported by an earlier run: repeating an import is safe for messages with UIDLs
            }
            else
            {
                var reason = $"{item.Label}: {result.Error ?? result.Status.ToString()}";
                var done = $"stopped after {imported + present} of {items.Count} messages ({imported} imported now); " +
                    $"repeating the import skips the messages whose UIDL came from the source";
                throw result.Status == MailboxStatus.StorageUnavailable
                    ? new ClusterUnreachableException($"import into {name} {done}: {reason}")
                    : new UsageException($"import into {name} {done}: {reason}");
            }
            if ((imported + present) % ImportProgressInterval == 0)
            {
                Console.Error.WriteLine($"import: {imported + present}/{items.Count}");
            }
        }
        stdout.WriteLine($"imported {imported} messages into {name} ({preserved} with their original UIDL; {present} already present)");
        return CommandLine.Success;
    }
}
