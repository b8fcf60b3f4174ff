using System.Text;

namespace Pop3Gateway.Host.Cli.Import;

/// <summary>Finds an <c>X-UIDL:</c> header (as written by many POP3 downloaders and servers) in a message's header section.</summary>
public static class XUidlHeader
{
    /// <summary>Header sections longer than this are not searched further (no real header section is this long).</summary>
    private const int MaxHeaderBytes = 256 * 1024;

    private const string Name = "x-uidl:";

    /// <summary>The header's value when it is a valid POP3 UIDL; null when there is none or it is not valid.</summary>
    public static string? Find(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 16 * 1024);
        using var reader = new StreamReader(stream, Encoding.Latin1);
        var read = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null && line.Length > 0 && read < MaxHeaderBytes)
        {
            read += line.Length + 1;
            if (line.StartsWith(Name, StringComparison.OrdinalIgnoreCase))
            {
                var value = line[Name.Length..].Trim();
                return PopUidl.IsValid(value) ? value : null;
            }
        }
        return null;
    }
}
