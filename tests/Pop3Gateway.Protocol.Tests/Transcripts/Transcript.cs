using System.Globalization;
using System.Text;

namespace Pop3Gateway.Protocol.Tests.Transcripts;

/// <summary>
/// A recorded conversation. <c>C: </c> lines are what the client sends, <c>S: </c> lines what
/// the server must answer, in order. In <c>C: </c> lines <c>\r</c>, <c>\n</c>, <c>\0</c>,
/// <c>\xHH</c> (a byte) and <c>\\</c> are escapes. Directives:
/// <c>! eol lf</c> (end client lines with a bare LF), <c>! max-line-length N</c>,
/// <c>! max-bad-commands N</c>, <c>! expect-deleted 1 3</c> or <c>! expect-deleted none</c>
/// (what the commit deleted). Lines starting with <c>#</c> are comments.
/// </summary>
internal sealed record Transcript(
    string Name,
    byte[] ClientBytes,
    string ExpectedServerText,
    Pop3Options Options,
    IReadOnlyList<int>? ExpectedDeleted,
    IReadOnlyList<string> Keywords)
{
    public static Transcript Load(string path)
    {
        var lines = File.ReadAllLines(path);
        var eol = "\r\n";
        var options = new Pop3Options();
        IReadOnlyList<int>? deleted = null;
        var client = new List<byte>();
        var server = new StringBuilder();
        var keywords = new List<string>();
        foreach (var line in lines)
        {
            if (line.StartsWith("C: ", StringComparison.Ordinal))
            {
                var bytes = Unescape(line[3..]);
                client.AddRange(bytes);
                client.AddRange(Encoding.ASCII.GetBytes(eol));
                keywords.Add(Encoding.Latin1.GetString(bytes).Split(' ')[0].ToUpperInvariant());
            }
            else if (line.StartsWith("S: ", StringComparison.Ordinal) || line == "S:")
            {
                server.Append(line.Length > 3 ? line[3..] : "").Append("\r\n");
            }
            else if (line.StartsWith("! ", StringComparison.Ordinal))
            {
                var parts = line[2..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                switch (parts[0])
                {
                    case "eol" when parts[1] == "lf":
                        eol = "\n";
                        break;
                    case "max-line-length":
                        options = options with { MaxLineLength = int.Parse(parts[1], CultureInfo.InvariantCulture) };
                        break;
                    case "max-bad-commands":
                        options = options with { MaxBadCommands = int.Parse(parts[1], CultureInfo.InvariantCulture) };
                        break;
                    case "expect-deleted":
                        deleted = parts[1] == "none" ? [] : parts[1..].Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToList();
                        break;
                    default:
                        throw new InvalidDataException($"{path}: unknown directive '{line}'.");
                }
            }
            else if (line.Length > 0 && !line.StartsWith('#'))
            {
                throw new InvalidDataException($"{path}: unexpected line '{line}'.");
            }
        }

        return new Transcript(Path.GetFileName(path), client.ToArray(), server.ToString(), options, deleted, keywords);
    }

    private static byte[] Unescape(string text)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 == text.Length)
            {
                bytes.Add(checked((byte)text[i]));
                continue;
            }

            switch (text[++i])
            {
                case 'r': bytes.Add((byte)'\r'); break;
                case 'n': bytes.Add((byte)'\n'); break;
                case '0': bytes.Add(0); break;
                case '\\': bytes.Add((byte)'\\'); break;
                case 'x':
                    bytes.Add(byte.Parse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 2;
                    break;
                default: throw new InvalidDataException($"Unknown escape in '{text}'.");
            }
        }

        return bytes.ToArray();
    }
}
