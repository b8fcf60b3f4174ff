using System.Globalization;

namespace Pop3Gateway.Host.Cli.Import;

/// <summary>One message line of a <c>dovecot-uidlist</c>.</summary>
public sealed record DovecotUidEntry(uint Uid, string BaseName, string? Pop3Uidl, long? Pop3Order);

/// <summary>
/// Dovecot's Maildir UID list (format version 3: header <c>3 V&lt;uidvalidity&gt; N&lt;next&gt; G&lt;guid&gt;</c>,
/// then <c>&lt;uid&gt; [fields] :&lt;base filename&gt;</c>). The POP3 UIDL is the <c>P</c> field when
/// present; otherwise Dovecot's default <c>pop3_uidl_format = %08Xu%08Xv</c> (UID and UIDVALIDITY, each
/// eight upper-case hex digits). <c>O</c> is the POP3 order, when Dovecot kept one.
/// </summary>
public sealed record DovecotUidList(uint UidValidity, IReadOnlyList<DovecotUidEntry> Entries)
{
    public const string FileName = "dovecot-uidlist";

    /// <summary>The UIDL a Dovecot POP3 server showed for <paramref name="entry"/>.</summary>
    public string UidlOf(DovecotUidEntry entry) =>
        entry.Pop3Uidl ?? string.Create(CultureInfo.InvariantCulture, $"{entry.Uid:X8}{UidValidity:X8}");

    public static DovecotUidList Parse(string path)
    {
        var lines = File.ReadLines(path).GetEnumerator();
        if (!lines.MoveNext())
        {
            throw new ImportFormatException($"{path}: empty");
        }
        var header = lines.Current.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (header is not ["3", ..])
        {
            throw new ImportFormatException($"{path}:1: only dovecot-uidlist format version 3 is supported");
        }
        var validityField = header.FirstOrDefault(f => f.StartsWith('V'));
        if (validityField is null || !uint.TryParse(validityField.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var validity))
        {
            throw new ImportFormatException($"{path}:1: no UIDVALIDITY (V field) in the header");
        }
        var entries = new List<DovecotUidEntry>();
        var number = 1;
        while (lines.MoveNext())
        {
            number++;
            var line = lines.Current;
            if (line.Length == 0)
            {
                continue;
            }
            entries.Add(ParseEntry(line) ?? throw new ImportFormatException($"{path}:{number}: not '<uid> [fields] :<filename>'"));
        }
        return new DovecotUidList(validity, entries);
    }

    private static DovecotUidEntry? ParseEntry(string line)
    {
        var colon = line.IndexOf(" :", StringComparison.Ordinal);
        if (colon < 0)
        {
            return null;
        }
        var fields = line[..colon].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var name = line[(colon + 2)..];
        if (fields.Length == 0 || name.Length == 0
            || !uint.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
        {
            return null;
        }
        string? uidl = null;
        long? order = null;
        foreach (var field in fields.Skip(1))
        {
            if (field.StartsWith('P') && field.Length > 1)
            {
                uidl = field[1..];
            }
            else if (field.StartsWith('O') && long.TryParse(field.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var o))
            {
                order = o;
            }
        }
        return new DovecotUidEntry(uid, name, uidl, order);
    }
}
