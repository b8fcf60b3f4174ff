using System.Text;
using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests;

/// <summary><c>pop3gw import</c> against a running server: order, bodies and UIDLs as a POP3 client sees them.</summary>
public sealed class ImportTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private async Task<(string[] Uidls, string[] Bodies)> ListAsync(TestAccount account)
    {
        await using var pop3 = await RawPop3Client.LoginAsync(fixture.Pop3Port, account.Login, account.Password);
        await pop3.ExpectOkAsync("UIDL");
        var uidls = Encoding.ASCII.GetString(await pop3.ReadMultilineAsync())
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[1]).ToArray();
        var bodies = new List<string>();
        for (var i = 1; i <= uidls.Length; i++)
        {
            await pop3.ExpectOkAsync($"RETR {i}");
            bodies.Add(Encoding.Latin1.GetString(await pop3.ReadMultilineAsync()));
        }
        await pop3.ExpectOkAsync("QUIT");
        return (uidls, bodies.ToArray());
    }

    [Fact]
    public Task Maildir_WithDovecotUidlist_OrderAndUidlsKept_RepeatIsHarmless() => fixture.GuardAsync(async () =>
    {
        var account = await fixture.CreateAccountAsync("impmd");
        var maildir = fixture.NewScratchDirectory("maildir");
        Directory.CreateDirectory(Path.Combine(maildir, "cur"));
        Directory.CreateDirectory(Path.Combine(maildir, "new"));
        await File.WriteAllTextAsync(Path.Combine(maildir, "cur", "1700000001.M1P1.old,S=30:2,S"), "Subject: first\n\nfirst body\n");
        await File.WriteAllTextAsync(Path.Combine(maildir, "cur", "1700000002.M2P2.old:2,"), "Subject: second\n\n.dot line\n");
        await File.WriteAllTextAsync(Path.Combine(maildir, "new", "1700000003.M3P3.old"), "X-UIDL: from-header-3\nSubject: third\n\nthird\n");
        await File.WriteAllTextAsync(Path.Combine(maildir, "dovecot-uidlist"),
            "3 V1700000000 N3 G3085f01b7f11094c501100008c4a11c1\n1 :1700000001.M1P1.old,S=30\n2 Plegacy-uidl-2 :1700000002.M2P2.old\n");

        var first = await fixture.CliOkAsync(null, "import", account.Login, maildir);
        var again = await fixture.CliOkAsync(null, "import", account.Login, maildir);
        var (uidls, bodies) = await ListAsync(account);

        Assert.Contains("imported 3 messages", first);
        Assert.Contains("3 with their original UIDL", first);
        Assert.Contains("imported 0 messages", again);
        Assert.Contains("3 already present", again);
        Assert.Equal(["000000016553F100", "legacy-uidl-2", "from-header-3"], uidls);
        Assert.Equal(["Subject: first\r\n\r\nfirst body\r\n", "Subject: second\r\n\r\n.dot line\r\n", "X-UIDL: from-header-3\r\nSubject: third\r\n\r\nthird\r\n"], bodies);
    });

    [Fact]
    public Task Mbox_WithXUidlHeaders_OrderUidlsAndUnquotingKept() => fixture.GuardAsync(async () =>
    {
        var account = await fixture.CreateAccountAsync("impmbox");
        var mbox = Path.Combine(fixture.NewScratchDirectory("mbox"), "inbox.mbox");
        await File.WriteAllTextAsync(mbox,
            "From a@example.org Mon Jan  1 00:00:00 2024\nX-UIDL: mbox-uidl-1\nSubject: m1\n\n>From quoted\n\n" +
            "From b@example.org Mon Jan  1 00:00:01 2024\nSubject: m2\n\nno uidl here\n\n" +
            "From c@example.org Mon Jan  1 00:00:02 2024\nX-UIDL: mbox-uidl-3\nSubject: m3\n\nend\n");

        var output = await fixture.CliOkAsync(null, "import", account.Login, mbox);
        var (uidls, bodies) = await ListAsync(account);

        Assert.Contains("imported 3 messages", output);
        Assert.Equal("mbox-uidl-1", uidls[0]);
        Assert.Equal("mbox-uidl-3", uidls[2]);
        Assert.NotEqual("mbox-uidl-1", uidls[1]);
        Assert.Equal("X-UIDL: mbox-uidl-1\r\nSubject: m1\r\n\r\nFrom quoted\r\n", bodies[0]);
        Assert.Equal("Subject: m2\r\n\r\nno uidl here\r\n", bodies[1]);
    });

    [Fact]
    public Task BadInput_OneLineExitOne_NothingImported() => fixture.GuardAsync(async () =>
    {
        var account = await fixture.CreateAccountAsync("impbad");
        var scratch = fixture.NewScratchDirectory("impbad");
        var notMbox = Path.Combine(scratch, "not.mbox");
        await File.WriteAllTextAsync(notMbox, "Subject: x\n\nbody\n");
        var valid = Path.Combine(scratch, "ok.mbox");
        await File.WriteAllTextAsync(valid, "From a Mon Jan  1 00:00:00 2024\nSubject: ok\n\nok\n");
        var duplicate = Path.Combine(scratch, "dup.mbox");
        await File.WriteAllTextAsync(duplicate, "From a Mon Jan  1 00:00:00 2024\nX-UIDL: same\n\na\n\nFrom b Mon Jan  1 00:00:00 2024\nX-UIDL: same\n\nb\n");

        var results = new[]
        {
            await fixture.CliAsync("import", account.Login, Path.Combine(scratch, "missing")),
            await fixture.CliAsync("import", account.Login, notMbox),
            await fixture.CliAsync("import", account.Login, duplicate),
            await fixture.CliAsync("import", "nosuchmailbox-imp", valid),
            await fixture.CliAsync("import", account.Login, notMbox, "--mbox-format", "mboxcl2"),
        };

        Assert.All(results, r =>
        {
            Assert.True(r.ExitCode == 1, r.ToString());
            Assert.StartsWith("pop3gw: ", r.Stderr);
            Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        });
        Assert.Contains("appears more than once", results[2].Stderr);
        Assert.Contains("no such mailbox", results[3].Stderr);
        Assert.Contains("messages: 0", await fixture.CliOkAsync(null, "mailbox", "show", account.Login));
    });
}
