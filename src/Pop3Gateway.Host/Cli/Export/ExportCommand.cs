using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Host.Cli.Export;

/// <summary>
/// <c>pop3gw export MAILBOX DIR --format maildir|mbox</c>: writes every message of a mailbox, in order and with
/// its UIDL, into DIR (which must be empty or not exist yet), so that <c>pop3gw import</c> restores the same
/// bodies and UIDLs. The index is read a page at a time and each body is streamed from the body store, so the
/// mailbox is never held in memory. An export taken while sessions commit deletions may miss a message
/// that moved between two pages; export an idle mailbox. User errors throw <see cref="UsageException"/>
/// (exit 1), an unreachable cluster or store <see cref="ClusterUnreachableException"/> (exit 2).
/// </summary>
public static class ExportCommand
{
    /// <summary>Index entries asked for per grain call: a few hundred kilobytes.</summary>
    private const int PageSize = 2_000;

    public static async Task<int> RunAsync(
        AdminClient admin, string mailbox, string directory, ExportFormat format, TextWriter stdout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(stdout);
        var name = AdminCommands.NormalizeName(mailbox, "mailbox");
        if (!Enum.IsDefined(format))
        {
            throw new UsageException($"unknown export format '{format}'");
        }
        CheckTarget(directory);
        if (!(await AdminCommands.Call(() => admin.Grains.GetGrain<IMailboxGrain>(name).Describe())).Exists)
        {
            throw new UsageException($"no such mailbox: {name}");
        }

        PrivateFiles.CreateDirectory(directory);
        var exported = 0;
        await using (var writer = format == ExportFormat.Maildir ? (IExportWriter)new MaildirWriter(directory) : new MboxWriter(directory, name))
        {
            var maintenance = admin.Grains.GetGrain<IMailboxMaintenanceGrain>(name);
            var written = new HashSet<string>(StringComparer.Ordinal);
            for (int? start = 0; start is { } next;)
            {
                var page = await AdminCommands.Call(() => maintenance.ReadEntries(next, PageSize));
                if (page.Status != MailboxStatus.Ok)
                {
                    throw new ClusterUnreachableException($"cannot read the index of {name}: {page.Status}");
                }
                // A commit between two pages shifts the entries: one seen already is not written twice.
                foreach (var entry in page.Entries.Where(e => written.Add(e.Uidl)))
                {
                    if (await TryOpenBodyAsync(admin.Bodies, name, entry, ct) is { } body)
                    {
                        await using (body)
                        {
                            await writer.WriteAsync(entry, body, ct);
                        }
                        exported++;
                    }
                }
                start = page.NextStart;
            }
            await writer.CompleteAsync(ct);
        }
        stdout.WriteLine($"exported {exported} messages to {directory}");
        return CommandLine.Success;
    }

    private static void CheckTarget(string directory)
    {
        if (File.Exists(directory))
        {
            throw new UsageException($"'{directory}' is a file; give an empty or new directory");
        }
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new UsageException($"'{directory}' is not empty; give an empty or new directory");
        }
    }

    /// <summary>The body of <paramref name="entry"/>; null when a commit deleted it after its page was read.</summary>
    private static async Task<Stream?> TryOpenBodyAsync(IBodyStore bodies, string mailbox, IndexEntry entry, CancellationToken ct)
    {
        try
        {
            return await bodies.OpenReadAsync(mailbox, entry.BodyId, ct);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (StorageUnavailableException e)
        {
            throw new ClusterUnreachableException($"cannot read body {entry.BodyId} of {mailbox}: {e.Message}", e);
        }
    }
}
