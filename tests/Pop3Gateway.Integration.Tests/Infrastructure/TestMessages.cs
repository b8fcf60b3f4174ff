using System.Text;

namespace Pop3Gateway.Integration.Tests.Infrastructure;

/// <summary>A message as a test delivers it (<see cref="Raw"/>) and as POP3 must return it (<see cref="Normalized"/>).</summary>
public sealed record TestMessage(string Name, byte[] Raw)
{
    /// <summary>The bytes RETR sends before byte-stuffing, and the size LIST reports.</summary>
    public byte[] Normalized { get; } = TestMessages.Normalize(Raw);

    public override string ToString() => $"{Name} ({Raw.Length} octets raw, {Normalized.Length} normalized)";
}

/// <summary>
/// Deterministic test messages, including the ones that break careless POP3 code:
/// dot lines, bare LF, 8-bit UTF-8, a 2,000-character line, ~1 MB, no final newline.
/// </summary>
public static class TestMessages
{
    public static TestMessage Plain(string name = "plain") => Crlf(name, Headers(name), "Hello.", "", "A plain message.");

    /// <summary>Lines starting with '.', a line that is just '.', and one that is "..": all must survive byte-stuffing.</summary>
    public static TestMessage Dots() => Crlf("dots", Headers("dots"),
        ".leading dot", ".", "..", "...", ". space after dot", "middle . dot", ".\t", "last line");

    /// <summary>Bare LF line endings: the server stores (and sends) CRLF.</summary>
    public static TestMessage BareLf() => Text("bare-lf", string.Join("\n", [.. Headers("bare-lf"), "", "line one", ".dot line", "", "line four"]) + "\n");

    /// <summary>8-bit UTF-8 in headers and body, sent as-is.</summary>
    public static TestMessage Utf8() => Crlf("utf8",
        [.. Headers("utf8 Grüße"), "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"],
        "Grüße aus Köln — ½ € ✓", "東京の天気は晴れです。", "Emoji: 🙂📬", "Ünïcödé at the start and end: é");

    /// <summary>One body line of 2,000 characters (RFC 5322 allows 998; POP3 must carry it anyway).</summary>
    public static TestMessage LongLine()
    {
        var line = new StringBuilder(2000);
        for (var i = 0; line.Length < 2000; i++)
        {
            line.Append((char)('a' + i % 26));
        }
        return Crlf("long-line", Headers("long-line"), "before", line.ToString(), "after");
    }

    /// <summary>The last line has no newline; the server adds the final CRLF.</summary>
    public static TestMessage NoFinalNewline() => Text("no-final-newline",
        string.Join("\r\n", [.. Headers("no-final-newline"), "", "first line", "last line without newline"]));

    /// <summary>About 1 MB of 76-character lines, with a dot line every 1,000 lines.</summary>
    public static TestMessage Large()
    {
        var body = new StringBuilder(1_100_000);
        foreach (var header in Headers("large"))
        {
            body.Append(header).Append("\r\n");
        }
        body.Append("\r\n");
        for (var i = 0; body.Length < 1_000_000; i++)
        {
            if (i % 1000 == 0)
            {
                body.Append(i % 2000 == 0 ? "." : ".dot line ").Append("\r\n");
                continue;
            }
            var line = $"{i:D6} The quick brown fox jumps over the lazy dog; 0123456789 abcdefghijklm";
            body.Append(line.AsSpan(0, 76)).Append("\r\n");
        }
        return Text("large", body.ToString());
    }

    /// <summary>Every kind of message above, in a fixed order.</summary>
    public static IReadOnlyList<TestMessage> All() =>
        [Plain(), Dots(), BareLf(), Utf8(), LongLine(), NoFinalNewline(), Large()];

    /// <summary>What the server must make of a raw message: CRLF endings (bare LF or CR become CRLF) and a final CRLF.</summary>
    public static byte[] Normalize(byte[] raw)
    {
        var output = new List<byte>(raw.Length + raw.Length / 40 + 2);
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (b == '\r')
            {
                output.Add((byte)'\r');
                output.Add((byte)'\n');
                if (i + 1 < raw.Length && raw[i + 1] == '\n')
                {
                    i++;
                }
            }
            else if (b == '\n')
            {
                output.Add((byte)'\r');
                output.Add((byte)'\n');
            }
            else
            {
                output.Add(b);
            }
        }
        if (output.Count < 2 || output[^2] != '\r' || output[^1] != '\n')
        {
            output.Add((byte)'\r');
            output.Add((byte)'\n');
        }
        return [.. output];
    }

    /// <summary>CRLF → LF: what clients that store mail the Unix way write.</summary>
    public static byte[] ToLf(byte[] crlf)
    {
        var output = new List<byte>(crlf.Length);
        for (var i = 0; i < crlf.Length; i++)
        {
            if (crlf[i] == '\r' && i + 1 < crlf.Length && crlf[i + 1] == '\n')
            {
                continue;
            }
            output.Add(crlf[i]);
        }
        return [.. output];
    }

    private static string[] Headers(string subject) =>
    [
        "From: Sender <sender@example.test>",
        "To: Recipient <recipient@example.test>",
        $"Subject: {subject}",
        "Date: Thu, 01 Jan 2026 00:00:00 +0000",
        $"Message-ID: <{subject.Split(' ')[0]}@example.test>",
    ];

    private static TestMessage Crlf(string name, string[] headers, params string[] bodyLines) =>
        Text(name, string.Join("\r\n", [.. headers, "", .. bodyLines]) + "\r\n");

    private static TestMessage Text(string name, string text) => new(name, Encoding.UTF8.GetBytes(text));
}
