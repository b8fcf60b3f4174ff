using System.Globalization;

namespace Pop3Bench;

/// <summary>
/// <c>gen</c> writes the mail tree <c>OUT/mail/LOGIN/NNNNNN.eml</c> and Dovecot's passwd-file;
/// <c>maildir</c> copies a mail tree into Maildir form (optionally only the first N of one login).
/// </summary>
public static class Generate
{
    public static void Mail(string output, int seed, int accounts, int messages, int bigMessageMegabytes, int bigBoxMessages, int emptyAccounts)
    {
        var mail = Path.Combine(output, "mail");
        var passwd = new List<string>();
        var total = 0L;
        var count = 0;
        for (var a = 0; a < accounts; a++)
        {
            var login = DataSet.Login(a);
            var random = new Random(seed * 100_003 + a);
            var dir = Directory.CreateDirectory(Path.Combine(mail, login)).FullName;
            for (var n = 1; n <= messages; n++)
            {
                var size = DataSet.MessageSize(random);
                File.WriteAllBytes(Path.Combine(dir, $"{n:D6}.eml"), DataSet.Message(random, login, n, size));
                total += size;
                count++;
            }
            passwd.Add(login);
        }

        // Accounts without mail, only for holding many logged-in idle sessions (one per mailbox in pop3gw).
        var idle = new HashSet<string>();
        for (var a = accounts; a < accounts + emptyAccounts; a++)
        {
            passwd.Add(DataSet.Login(a));
            idle.Add(DataSet.Login(a));
        }

        var big = Directory.CreateDirectory(Path.Combine(mail, BigWorkloads.BigMessageAccount)).FullName;
        WriteBigMessage(Path.Combine(big, "000001.eml"), seed, bigMessageMegabytes * 1_000_000L);
        passwd.Add(BigWorkloads.BigMessageAccount);

        var box = Directory.CreateDirectory(Path.Combine(mail, BigWorkloads.BigBoxAccount)).FullName;
        var boxRandom = new Random(seed * 7 + 1);
        for (var n = 1; n <= bigBoxMessages; n++)
        {
            File.WriteAllBytes(Path.Combine(box, $"{n:D6}.eml"), DataSet.Message(boxRandom, BigWorkloads.BigBoxAccount, n, boxRandom.Next(DataSet.MinSize, 4_000)));
        }
        passwd.Add(BigWorkloads.BigBoxAccount);

        File.WriteAllLines(Path.Combine(output, "passwd"), passwd.Select(l => $"{l}:{{PLAIN}}{(idle.Contains(l) ? DataSet.IdlePassword : DataSet.Password(l))}::::::"));
        File.WriteAllLines(Path.Combine(output, "logins"), passwd);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"generated {accounts} accounts x {messages} messages (+{emptyAccounts} without mail): {count} messages, {total / 1e6:F1} MB, mean {total / (double)count / 1000:F1} KB; bigmsg {bigMessageMegabytes} MB; bigbox {bigBoxMessages} messages"));
    }

    /// <summary>A message of exactly <paramref name="size"/> octets, written line by line, never held whole.</summary>
    private static void WriteBigMessage(string path, int seed, long size)
    {
        const int lineLength = 76;
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ";
        var random = new Random(seed + 99);
        var pool = Enumerable.Range(0, 1024)
            .Select(i => System.Text.Encoding.ASCII.GetBytes(
                (i % 40 == 39 ? "." : "") + new string(Enumerable.Range(0, lineLength - (i % 40 == 39 ? 1 : 0)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()) + "\r\n"))
            .ToArray();
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        var header = System.Text.Encoding.ASCII.GetBytes("From: Bench Sender <sender@bench.example>\r\nTo: bigmsg@bench.example\r\nSubject: big\r\n\r\n");
        file.Write(header);
        var remaining = size - header.Length;
        var line = 0;
        while (remaining >= 2 * (lineLength + 2))
        {
            var bytes = pool[line++ % pool.Length];
            file.Write(bytes);
            remaining -= bytes.Length;
        }
        file.Write(System.Text.Encoding.ASCII.GetBytes(new string('x', (int)remaining - 2) + "\r\n"));
    }

    public static void Maildir(string mailRoot, string output, IReadOnlyDictionary<string, int> limits)
    {
        var stamp = 1_764_000_000;
        foreach (var source in Directory.EnumerateDirectories(mailRoot))
        {
            var login = Path.GetFileName(source);
            var target = Path.Combine(output, login);
            foreach (var sub in new[] { "cur", "new", "tmp" })
            {
                Directory.CreateDirectory(Path.Combine(target, sub));
            }
            var files = Directory.GetFiles(source, "*.eml").Order(StringComparer.Ordinal).ToList();
            var take = limits.TryGetValue(login, out var limit) ? Math.Min(limit, files.Count) : files.Count;
            for (var i = 0; i < take; i++)
            {
                var size = new FileInfo(files[i]).Length;
                // Maildir name with S= (size) so Dovecot need not stat; ":2,S" marks it seen, as POP3 clients leave it.
                File.Copy(files[i], Path.Combine(target, "cur", string.Create(CultureInfo.InvariantCulture, $"{stamp + i}.M{i}P1.bench,S={size},W={size}:2,S")));
            }
        }
    }
}
