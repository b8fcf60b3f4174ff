using System.Globalization;

namespace Pop3Gateway.Host.Cli.Import;

/// <summary>
/// The messages of a Maildir (<c>cur/</c> and <c>new/</c>) in delivery order, with their UIDLs:
/// messages listed in <c>dovecot-uidlist</c> come first in POP3 order (the <c>O</c> field, else UID)
/// with Dovecot's UIDL; the rest follow by the delivery time at the start of their file name, with
/// the UIDL of an <c>X-UIDL</c> header when they carry a valid one.
/// </summary>
public static class MaildirSource
{
    public static IReadOnlyList<ImportItem> Read(string path)
    {
        var cur = Path.Combine(path, "cur");
        var @new = Path.Combine(path, "new");
        if (!Directory.Exists(cur) && !Directory.Exists(@new))
        {
            throw new ImportFormatException($"'{path}' is not a Maildir (no cur/ or new/)");
        }
        var files = new[] { cur, @new }
            .Where(Directory.Exists)
            .SelectMany(Directory.EnumerateFiles)
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .ToDictionary(BaseName, f => f, StringComparer.Ordinal);

        var items = new List<ImportItem>();
        var uidlistPath = Path.Combine(path, DovecotUidList.FileName);
        if (File.Exists(uidlistPath))
        {
            var uidlist = DovecotUidList.Parse(uidlistPath);
            foreach (var entry in uidlist.Entries.OrderBy(e => e.Pop3Order ?? long.MaxValue).ThenBy(e => e.Uid))
            {
                if (files.Remove(BaseName(entry.BaseName), out var file))
                {
                    items.Add(new ImportItem(file, uidlist.UidlOf(entry), Path.GetFileName(file)));
                }
            }
        }
        foreach (var file in files.Values.OrderBy(DeliveryTime).ThenBy(f => Path.GetFileName(f), StringComparer.Ordinal))
        {
            items.Add(new ImportItem(file, XUidlHeader.Find(file), Path.GetFileName(file)));
        }
        return items;
    }

    /// <summary>A Maildir name without its <c>:2,FLAGS</c> info part: stable when flags change.</summary>
    private static string BaseName(string file)
    {
        var name = Path.GetFileName(file);
        var colon = name.IndexOf(':');
        return colon < 0 ? name : name[..colon];
    }

    /// <summary>Maildir names start with the delivery time in seconds; files not named so sort by modification time.</summary>
    private static long DeliveryTime(string file)
    {
        var name = Path.GetFileName(file);
        var dot = name.IndexOf('.');
        return dot > 0 && long.TryParse(name.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : new DateTimeOffset(File.GetLastWriteTimeUtc(file)).ToUnixTimeSeconds();
    }
}
