using System.Runtime.CompilerServices;
using System.Text;
using Pop3Gateway.Host.Cli;
using Pop3Gateway.Host.Cli.Export;
using Pop3Gateway.Host.Cli.Mailboxes;
using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests;

/// <summary>
/// The operator's mailbox commands against a running server: export (Maildir and mbox) round-trips through
/// <c>pop3gw import</c> byte for byte with the UIDLs, Dovecot serves an exported Maildir with the same UIDLs,
/// and expunge removes what it is told unless a session holds the mailbox. The commands' logic is called in
/// process through an <see cref="AdminClient"/>; the import runs through the binary.
/// </summary>
public sealed class ExportTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    /// <summary>Lines an mbox must quote and unquote, a body that ends with an empty line.</summary>
    private static readonly TestMessage FromLines = new("from-lines", Encoding.ASCII.GetBytes(
        "Subject: from lines\r\n\r\nFrom the start of a line\r\n>From quoted once\r\n>>From quoted twice\r\n" +
        "From\r\n>From\r\n From indented\r\n>\r\n\r\nFrom last\r\n\r\n"));

    /// <summary>The seeded source mailbox of each server: exports only read it, so the tests share one.</summary>
    private static readonly ConditionalWeakTable<ServerFixture, Task<TestAccount>> Sources = new();

    [Theory]
    [InlineData(ExportFormat.Maildir)]
    [InlineData(ExportFormat.Mbox)]
    public Task Export_ThenImportIntoAnotherMailbox_SameBodiesAndUidls(ExportFormat format) => fixture.GuardAsync(async () =>
    {
        var source = await Sources.GetValue(fixture, _ => SeedAsync());
        var directory = Path.Combine(fixture.NewScratchDirectory("export"), "out");

        // Through the binary: the command line's wiring is part of what is tested.
        var exported = await fixture.CliOkAsync(null, "export", source.Login, directory, "--format", format.ToString().ToLowerInvariant());
        var target = await fixture.CreateAccountAsync("exdst");
        var path = format == ExportFormat.Maildir ? directory : Path.Combine(directory, source.Login + ".mbox");
        var imported = await fixture.CliOkAsync(null, "import", target.Login, path);

        var expected = await ReadAllAsync(source);
        Assert.Equal($"exported {expected.Count} messages to {directory}\n", exported.ReplaceLineEndings("\n"));
        Assert.Contains($"imported {expected.Count} messages", imported);
        var actual = await ReadAllAsync(target);
        Assert.Equal(expected.Select(m => m.Uidl), actual.Select(m => m.Uidl));
        Assert.All(expected.Zip(actual), pair => Assert.True(pair.First.Body.AsSpan().SequenceEqual(pair.Second.Body), $"body of {pair.First.Uidl} differs"));
        if (format == ExportFormat.Maildir)
        {
            Assert.Equal(["cur", "dovecot-uidlist", "new", "tmp"], Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).Order());
            Assert.Equal(expected.Count, Directory.GetFiles(Path.Combine(directory, "cur")).Length);
        }
    });

    [Fact]
    public Task Export_Maildir_DovecotServesTheSameUidls() => fixture.GuardAsync(async () =>
    {
        var source = await Sources.GetValue(fixture, _ => SeedAsync());
        await using var dovecot = new DovecotPop3();
        const string user = "exported";
        await using (var admin = await ConnectAsync())
        {
            await ExportCommand.RunAsync(admin, source.Login, dovecot.MaildirOf(user), ExportFormat.Maildir, TextWriter.Null, CancellationToken.None);
        }
        var password = ServerFixture.NewPassword();
        await dovecot.StartAsync(user, password);

        var gateway = await UidlsAsync(fixture.Pop3Port, source.Login, source.Password);
        var served = await UidlsAsync(dovecot.Port, user, password);

        Assert.True(gateway.SequenceEqual(served), $"gateway: {string.Join(' ', gateway)}\ndovecot: {string.Join(' ', served)}\n{dovecot.Log()}");
    });

    [Fact]
    public Task Export_IntoANonEmptyDirectoryOrFromNoMailbox_UsageErrorAndNothingWritten() => fixture.GuardAsync(async () =>
    {
        var account = await fixture.CreateAccountAsync("exbad");
        var occupied = fixture.NewScratchDirectory("occupied");
        await File.WriteAllTextAsync(Path.Combine(occupied, "keep.txt"), "mine");
        var fresh = Path.Combine(fixture.NewScratchDirectory("fresh"), "out");
        await using var admin = await ConnectAsync();

        var nonEmpty = await Assert.ThrowsAsync<UsageException>(() =>
            ExportCommand.RunAsync(admin, account.Login, occupied, ExportFormat.Mbox, TextWriter.Null, CancellationToken.None));
        var noMailbox = await Assert.ThrowsAsync<UsageException>(() =>
            ExportCommand.RunAsync(admin, "nosuchmailbox-export", fresh, ExportFormat.Maildir, TextWriter.Null, CancellationToken.None));

        Assert.Contains("is not empty", nonEmpty.Message);
        Assert.Equal(["keep.txt"], Directory.EnumerateFileSystemEntries(occupied).Select(Path.GetFileName));
        Assert.Equal("no such mailbox: nosuchmailbox-export", noMailbox.Message);
        Assert.False(Directory.Exists(fresh));
    });

    [Fact]
    public Task Expunge_Uidls_RemovesThoseAndNamesTheUnknown() => fixture.GuardAsync(async () =>
    {
        var mailbox = await fixture.CreateMailboxAsync("exuidl", [TestMessages.Plain("one"), TestMessages.Plain("two"), TestMessages.Plain("three")]);

        var stdout = await fixture.CliOkAsync(null, "mailbox", "expunge", mailbox.Login, "--uidl", mailbox.Uidls[1], "not-there");

        var size = mailbox.Messages[1].Normalized.Length;
        Assert.Equal($"expunged 1 messages ({size} octets) from {mailbox.Login}\nno message has UIDL not-there\n", stdout.ReplaceLineEndings("\n"));
        Assert.Equal([mailbox.Uidls[0], mailbox.Uidls[2]], await UidlsAsync(fixture.Pop3Port, mailbox.Login, mailbox.Password));
    });

    [Fact]
    public Task Expunge_WhileASessionHoldsTheMailbox_RefusedThenKickEndsItAndRemoves() => fixture.GuardAsync(async () =>
    {
        var mailbox = await fixture.CreateMailboxAsync("exkick", [TestMessages.Plain("one"), TestMessages.Dots()]);
        await using var admin = await ConnectAsync();
        await using var session = await RawPop3Client.LoginAsync(fixture.Pop3Port, mailbox.Login, mailbox.Password);
        var all = new ExpungeSelection.All();

        var refused = await Assert.ThrowsAsync<UsageException>(() =>
            ExpungeCommand.RunAsync(admin, mailbox.Login, all, kick: false, TextWriter.Null, CancellationToken.None));
        var stdout = new StringWriter();
        var kicked = await ExpungeCommand.RunAsync(admin, mailbox.Login, all, kick: true, stdout, CancellationToken.None);

        Assert.StartsWith($"mailbox '{mailbox.Login}' is in use by ", refused.Message);
        Assert.EndsWith("; add --kick to end that session first", refused.Message);
        Assert.Equal(CommandLine.Success, kicked);
        Assert.StartsWith($"expunged 2 messages (", stdout.ToString());
        // The kicked session's QUIT commits nothing: its lease is gone.
        await session.ExpectErrAsync("QUIT");
        Assert.Empty(await UidlsAsync(fixture.Pop3Port, mailbox.Login, mailbox.Password));
    });

    /// <summary>
    /// A mailbox holding every kind of test message, the From-line one, and an imported message with its own
    /// UIDL and an X-UIDL header of its own (the export's header must not be confused with it).
    /// </summary>
    private async Task<TestAccount> SeedAsync()
    {
        var account = await fixture.CreateAccountAsync("exsrc");
        var mbox = Path.Combine(fixture.NewScratchDirectory("seed"), "seed.mbox");
        await File.WriteAllTextAsync(mbox, "From a@example.org Mon Jan  1 00:00:00 2024\nX-UIDL: legacy-uidl-1\nSubject: kept\n\nimported\n");
        await fixture.CliOkAsync(null, "import", account.Login, mbox);
        await fixture.DeliverAsync(account.Login, [.. TestMessages.All(), FromLines]);
        return account;
    }

    private Task<AdminClient> ConnectAsync() =>
        AdminClient.ConnectAsync(
            fixture.Server.Environment.ToDictionary(e => e.Key["POP3GW__".Length..].Replace("__", ":", StringComparison.Ordinal), e => (string?)e.Value),
            CancellationToken.None);

    private async Task<List<(string Uidl, byte[] Body)>> ReadAllAsync(TestAccount account)
    {
        await using var pop3 = await RawPop3Client.LoginAsync(fixture.Pop3Port, account.Login, account.Password);
        var messages = new List<(string, byte[])>();
        foreach (var (uidl, number) in await ListUidlsAsync(pop3))
        {
            await pop3.ExpectOkAsync($"RETR {number}");
            messages.Add((uidl, await pop3.ReadMultilineAsync()));
        }
        await pop3.ExpectOkAsync("QUIT");
        return messages;
    }

    private static async Task<string[]> UidlsAsync(int port, string user, string password)
    {
        await using var pop3 = await RawPop3Client.LoginAsync(port, user, password);
        var uidls = (await ListUidlsAsync(pop3)).Select(u => u.Uidl).ToArray();
        await pop3.ExpectOkAsync("QUIT");
        return uidls;
    }

    private static async Task<(string Uidl, int Number)[]> ListUidlsAsync(RawPop3Client pop3)
    {
        await pop3.ExpectOkAsync("UIDL");
        return Encoding.ASCII.GetString(await pop3.ReadMultilineAsync())
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Select(fields => (fields[1], int.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture)))
            .ToArray();
    }
}
