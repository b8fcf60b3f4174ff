using System.Text;

namespace Pop3Gateway.Integration.Tests.Infrastructure;

/// <summary>Compares what a mail client stored with what was delivered, and explains the first difference.</summary>
public static class FetchedMail
{
    /// <summary>Message i of <paramref name="fetched"/> must equal the expected form of message i, byte for byte.</summary>
    public static void AssertInOrder(
        IReadOnlyList<TestMessage> messages, IReadOnlyList<byte[]> fetched, Func<TestMessage, byte[]> expectedForm, string client, ProcessResult? run = null)
    {
        Assert.True(messages.Count == fetched.Count, $"{client} stored {fetched.Count} messages, {messages.Count} were delivered\n{run}");
        for (var i = 0; i < messages.Count; i++)
        {
            var expected = expectedForm(messages[i]);
            Assert.True(expected.AsSpan().SequenceEqual(fetched[i]), $"{client}, message {i + 1} ({messages[i]}): {Difference(expected, fetched[i])}");
        }
    }

    /// <summary>For clients whose storage has no order (maildir): every expected message was stored exactly once.</summary>
    public static void AssertSameSet(
        IReadOnlyList<TestMessage> messages, IReadOnlyList<byte[]> fetched, Func<TestMessage, byte[]> expectedForm, string client, ProcessResult? run = null)
    {
        Assert.True(messages.Count == fetched.Count, $"{client} stored {fetched.Count} messages, {messages.Count} were delivered\n{run}");
        var remaining = fetched.ToList();
        foreach (var message in messages)
        {
            var expected = expectedForm(message);
            var index = remaining.FindIndex(f => f.AsSpan().SequenceEqual(expected));
            if (index < 0)
            {
                var closest = remaining.OrderBy(f => Math.Abs(f.Length - expected.Length)).FirstOrDefault() ?? [];
                Assert.Fail($"{client} stored no exact copy of {message}; closest in size: {Difference(expected, closest)}");
            }
            remaining.RemoveAt(index);
        }
    }

    /// <summary>Removes the first header field of a message (with its folded continuation lines); it must be named <paramref name="name"/>.</summary>
    public static byte[] WithoutFirstHeader(byte[] message, string name)
    {
        var text = Encoding.Latin1.GetString(message);
        Assert.True(text.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase),
            $"expected the client to add a '{name}:' header first; the message starts with '{Preview(text)}'");
        var end = 0;
        do
        {
            end = text.IndexOf('\n', end) + 1;
            Assert.True(end > 0, $"the '{name}' header does not end");
        }
        while (end < text.Length && text[end] is ' ' or '\t');
        return message[end..];
    }

    /// <summary>Every file of a maildir (new/ and cur/).</summary>
    public static IReadOnlyList<byte[]> ReadMaildir(string maildir) =>
        new[] { "new", "cur" }
            .SelectMany(sub => Directory.EnumerateFiles(Path.Combine(maildir, sub)))
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllBytes)
            .ToList();

    /// <summary>Creates a maildir (cur, new, tmp); world-writable when a client delivers as another user.</summary>
    public static string CreateMaildir(string parent, bool worldWritable = false)
    {
        var maildir = Path.Combine(parent, "Maildir");
        foreach (var sub in new[] { "", "cur", "new", "tmp" })
        {
            var path = Path.Combine(maildir, sub);
            Directory.CreateDirectory(path);
            if (worldWritable)
            {
                File.SetUnixFileMode(path, (UnixFileMode)0b111_111_111);
            }
        }
        return maildir;
    }

    public static string Difference(byte[] expected, byte[] actual)
    {
        var common = Math.Min(expected.Length, actual.Length);
        var at = 0;
        while (at < common && expected[at] == actual[at])
        {
            at++;
        }
        if (at == common && expected.Length == actual.Length)
        {
            return "identical";
        }
        var from = Math.Max(0, at - 20);
        return $"expected {expected.Length} octets, got {actual.Length}; first difference at offset {at}: " +
            $"expected '{Escape(expected, from, at + 20)}', got '{Escape(actual, from, at + 20)}'";
    }

    private static string Escape(byte[] bytes, int from, int to) =>
        Encoding.UTF8.GetString(bytes, from, Math.Max(0, Math.Min(to, bytes.Length) - from))
            .Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", "\\t").Replace("\0", "\\0");

    private static string Preview(string text) => text[..Math.Min(60, text.Length)].Replace("\r", "\\r").Replace("\n", "\\n");
}
