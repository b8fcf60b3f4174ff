using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests;

/// <summary>
/// Python's poplib. <c>retr</c> returns the lines without their CRLF and with dot-stuffing
/// undone; joined with CRLF plus a final CRLF they must be the delivered message exactly.
/// </summary>
[Collection(DebianClientsCollection.Name)]
public sealed class PythonPoplibTests(ServerFixture fixture)
{
    private const string Script = """
        import os, poplib, sys
        port, user, password, out = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
        pop = poplib.POP3("127.0.0.1", port, timeout=60)
        pop.user(user)
        pop.pass_(password)
        count, octets = pop.stat()
        with open(os.path.join(out, "stat.txt"), "w") as f:
            f.write("%d %d\n" % (count, octets))
        with open(os.path.join(out, "list.txt"), "wb") as f:
            f.write(b"".join(line + b"\n" for line in pop.list()[1]))
        with open(os.path.join(out, "uidl.txt"), "wb") as f:
            f.write(b"".join(line + b"\n" for line in pop.uidl()[1]))
        for n in range(1, count + 1):
            response, lines, size = pop.retr(n)
            with open(os.path.join(out, "%03d.eml" % n), "wb") as f:
                f.write(b"\r\n".join(lines) + b"\r\n")
        pop.quit()
        """;

    [Fact]
    public Task Retr_EveryMessage_LinesJoinedWithCrlfByteExact() => fixture.GuardAsync(async () =>
    {
        var python = ExternalTool.Require("python3", "python3");
        var mailbox = await fixture.CreateMailboxAsync("py", TestMessages.All());
        var directory = fixture.NewScratchDirectory("poplib");
        var script = Path.Combine(directory, "fetch.py");
        await File.WriteAllTextAsync(script, Script);

        var result = await ProcessRunner.RunAsync(python,
            [script, fixture.Pop3Port.ToString(), mailbox.Login, mailbox.Password, directory]);

        Assert.True(File.Exists(Path.Combine(directory, "uidl.txt")), result.ToString());
        Assert.Equal($"{mailbox.Messages.Count} {mailbox.Messages.Sum(m => m.Normalized.Length)}\n",
            await File.ReadAllTextAsync(Path.Combine(directory, "stat.txt")));
        Assert.Equal(string.Concat(mailbox.Messages.Select((m, i) => $"{i + 1} {m.Normalized.Length}\n")),
            await File.ReadAllTextAsync(Path.Combine(directory, "list.txt")));
        Assert.Equal(string.Concat(mailbox.Uidls.Select((u, i) => $"{i + 1} {u}\n")),
            await File.ReadAllTextAsync(Path.Combine(directory, "uidl.txt")));
        var fetched = Enumerable.Range(1, mailbox.Messages.Count)
            .Select(n => Path.Combine(directory, $"{n:D3}.eml"))
            .Where(File.Exists)
            .Select(File.ReadAllBytes)
            .ToList();
        FetchedMail.AssertInOrder(mailbox.Messages, fetched, m => m.Normalized, "poplib", result);
        Assert.True(result.ExitCode == 0, $"poplib ended with an error (QUIT included): {result}");
    });

    [Fact]
    public Task DeleAndQuit_EveryMessage_MailboxEmpty() => fixture.GuardAsync(async () =>
    {
        var python = ExternalTool.Require("python3", "python3");
        var mailbox = await fixture.CreateMailboxAsync("pydele", [TestMessages.Plain("a"), TestMessages.Dots()]);
        const string dele = """
            import poplib, sys
            pop = poplib.POP3("127.0.0.1", int(sys.argv[1]), timeout=60)
            pop.user(sys.argv[2]); pop.pass_(sys.argv[3])
            for n in range(1, pop.stat()[0] + 1):
                pop.dele(n)
            print(pop.stat()[0])
            pop.quit()
            """;

        var result = await ProcessRunner.RunAsync(python, ["-c", dele, fixture.Pop3Port.ToString(), mailbox.Login, mailbox.Password]);
        var show = await fixture.CliOkAsync(null, "mailbox", "show", mailbox.Login);

        Assert.True(result.Stdout.Trim() == "0", result.ToString());
        Assert.True(show.Split('\n').Any(l => l.Replace(" ", "").Trim() == "messages:0"), $"after DELE and QUIT:\n{show}\n{result}");
        Assert.True(result.ExitCode == 0, $"poplib ended with an error (QUIT included): {result}");
    });
}
