using System.Diagnostics;
using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests;

/// <summary>The pop3gw admin CLI against a running server: exit codes 0 / 1 / 2 and what it prints.</summary>
public sealed partial class CliTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public Task AccountAdd_NewLogin_ExitZeroAndListed() => fixture.GuardAsync(async () =>
    {
        var login = ServerFixture.UniqueLogin("cliadd");

        var added = await fixture.CliWithStdinAsync("secret-1\n", "account", "add", login, "--password-stdin");
        var list = await fixture.CliOkAsync(null, "account", "list");

        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Contains(login, added.Stdout);
        Assert.Contains(Lines(list), line => line.StartsWith(login + " ", StringComparison.Ordinal) && line.Contains($"mailbox: {login}"));
    });

    [Fact]
    public Task AccountAdd_UpperCaseLogin_StoredLowerCase() => fixture.GuardAsync(async () =>
    {
        var login = ServerFixture.UniqueLogin("cliupper");

        await fixture.CliOkAsync("secret-1\n", "account", "add", login.ToUpperInvariant(), "--password-stdin");
        var list = await fixture.CliOkAsync(null, "account", "list");

        Assert.Contains(Lines(list), line => line.StartsWith(login + " ", StringComparison.Ordinal));
    });

    [Fact]
    public Task AccountAdd_Duplicate_ExitOneWithOneLine() => fixture.GuardAsync(async () =>
    {
        var account = await fixture.CreateAccountAsync("clidup");

        var again = await fixture.CliWithStdinAsync("other\n", "account", "add", account.Login, "--password-stdin");

        AssertUserError(again);
        Assert.Contains("already exists", again.Stderr);
    });

    [Theory]
    [InlineData("bad/name")]
    [InlineData("bad name")]
    [InlineData(".dot-first")]
    [InlineData("back\\slash")]
    public Task AccountAdd_BadLoginName_ExitOne(string login) => fixture.GuardAsync(async () =>
    {
        var result = await fixture.CliWithStdinAsync("secret\n", "account", "add", login, "--password-stdin");

        AssertUserError(result);
    });

    [Fact]
    public Task AccountAdd_WithoutPasswordStdin_ExitOne() => fixture.GuardAsync(async () =>
    {
        var result = await fixture.CliWithStdinAsync("secret\n", "account", "add", ServerFixture.UniqueLogin("clinopw"));

        AssertUserError(result);
        Assert.Contains("--password-stdin", result.Stderr);
    });

    [Fact]
    public Task AccountAdd_EmptyStdin_ExitOne() => fixture.GuardAsync(async () =>
    {
        var result = await fixture.CliWithStdinAsync("", "account", "add", ServerFixture.UniqueLogin("cliempty"), "--password-stdin");

        AssertUserError(result);
    });

    [Fact]
    public Task AccountPasswd_ExistingAccount_NewPasswordLogsInOldDoesNot() => fixture.GuardAsync(async () =>
    {
        var account = await fixture.CreateAccountAsync("clipw");
        var newPassword = ServerFixture.NewPassword();

        var changed = await fixture.CliWithStdinAsync(newPassword + "\n", "account", "passwd", account.Login, "--password-stdin");

        Assert.True(changed.ExitCode == 0, changed.ToString());
        await using (var client = await RawPop3Client.LoginAsync(fixture.Pop3Port, account.Login, newPassword))
        {
        }
        await using var old = await RawPop3Client.ConnectAsync(fixture.Pop3Port);
        await old.ExpectOkAsync($"USER {account.Login}");
        var refused = await old.ExpectErrAsync($"PASS {account.Password}");
        Assert.StartsWith("-ERR [AUTH]", refused);
    });

    [Fact]
    public Task AccountPasswd_UnknownAccount_ExitOne() => fixture.GuardAsync(async () =>
    {
        var result = await fixture.CliWithStdinAsync("secret\n", "account", "passwd", ServerFixture.UniqueLogin("cliunknown"), "--password-stdin");

        AssertUserError(result);
    });

    [Fact]
    public Task AccountGrant_ExistingMailbox_ListShowsGrant() => fixture.GuardAsync(async () =>
    {
        var owner = await fixture.CreateAccountAsync("cliowner");
        var delegateAccount = await fixture.CreateAccountAsync("clidelegate");

        var granted = await fixture.CliAsync("account", "grant", delegateAccount.Login, owner.Login);
        var list = await fixture.CliOkAsync(null, "account", "list");

        Assert.True(granted.ExitCode == 0, granted.ToString());
        var line = Assert.Single(Lines(list), l => l.StartsWith(delegateAccount.Login + " ", StringComparison.Ordinal));
        Assert.Contains("granted:", line);
        Assert.Contains(owner.Login, line);
    });

    [Fact]
    public Task AccountGrant_UnknownMailbox_ExitOne() => fixture.GuardAsync(async () =>
    {
        var account = await fixture.CreateAccountAsync("cligrant");

        var result = await fixture.CliAsync("account", "grant", account.Login, ServerFixture.UniqueLogin("nomailbox"));

        AssertUserError(result);
    });

    [Fact]
    public Task AccountGrant_UnknownAccount_ExitOne() => fixture.GuardAsync(async () =>
    {
        var owner = await fixture.CreateAccountAsync("cligrantowner");

        var result = await fixture.CliAsync("account", "grant", ServerFixture.UniqueLogin("noaccount"), owner.Login);

        AssertUserError(result);
    });

    [Fact]
    public Task Deliver_SeveralFiles_PrintsOneValidUniqueUidlPerMessage() => fixture.GuardAsync(async () =>
    {
        var messages = TestMessages.All();

        var mailbox = await fixture.CreateMailboxAsync("clideliver", messages);

        Assert.Equal(messages.Count, mailbox.Uidls.Count);
        Assert.Equal(mailbox.Uidls.Count, mailbox.Uidls.Distinct(StringComparer.Ordinal).Count());
        Assert.All(mailbox.Uidls, uidl =>
        {
            Assert.InRange(uidl.Length, 1, 70);
            Assert.All(uidl, c => Assert.InRange(c, '\x21', '\x7e'));
        });
    });

    [Fact]
    public Task Deliver_Stdin_MessageRetrievableByteExact() => fixture.GuardAsync(async () =>
    {
        var account = await fixture.CreateAccountAsync("clistdin");
        var message = TestMessages.Utf8();

        var delivered = await fixture.CliWithStdinAsync(System.Text.Encoding.UTF8.GetString(message.Raw), "deliver", account.Login, "-");

        Assert.True(delivered.ExitCode == 0, delivered.ToString());
        var uidl = Assert.Single(Lines(delivered.Stdout));
        await using var client = await RawPop3Client.LoginAsync(fixture.Pop3Port, account.Login, account.Password);
        Assert.Equal($"+OK 1 {uidl}", await client.CommandAsync("UIDL 1"));
        await client.ExpectOkAsync("RETR 1");
        Assert.Equal(message.Normalized, await client.ReadMultilineAsync());
    });

    [Fact]
    public Task Deliver_SameMessageTwiceWithDedupe_StoredOnceUnderOneUidl() => fixture.GuardAsync(async () =>
    {
        var account = await fixture.CreateAccountAsync("clidedupe");
        var file = Path.Combine(fixture.NewScratchDirectory("cli"), "m.eml");
        await File.WriteAllTextAsync(file, $"Message-ID: <{account.Login}@dedupe.example>\r\nSubject: once\r\n\r\nbody\r\n");

        var first = await fixture.CliOkAsync(null, "deliver", account.Login, file, "--dedupe");
        var again = await fixture.CliAsync("deliver", account.Login, file, "--dedupe");
        var withoutSwitch = await fixture.CliOkAsync(null, "deliver", account.Login, file);
        var show = await fixture.CliOkAsync(null, "mailbox", "show", account.Login);

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(Assert.Single(Lines(first)), Assert.Single(Lines(again.Stdout)));
        Assert.Contains("duplicate, not stored again", again.Stderr);
        Assert.NotEqual(Assert.Single(Lines(first)), Assert.Single(Lines(withoutSwitch)));
        Assert.Contains(Lines(show), l => l.Replace(" ", "") == "messages:2");
    });

    [Fact]
    public Task Deliver_UnknownMailbox_ExitOne() => fixture.GuardAsync(async () =>
    {
        var file = Path.Combine(fixture.NewScratchDirectory("cli"), "m.eml");
        await File.WriteAllBytesAsync(file, TestMessages.Plain().Raw);

        var result = await fixture.CliAsync("deliver", ServerFixture.UniqueLogin("nomailbox"), file);

        AssertUserError(result);
    });

    [Fact]
    public Task Deliver_MissingFile_ExitOneAndNothingDelivered() => fixture.GuardAsync(async () =>
    {
        var account = await fixture.CreateAccountAsync("climissing");
        var file = Path.Combine(fixture.NewScratchDirectory("cli"), "m.eml");
        await File.WriteAllBytesAsync(file, TestMessages.Plain().Raw);

        var result = await fixture.CliAsync("deliver", account.Login, file, file + ".missing");
        var show = await fixture.CliOkAsync(null, "mailbox", "show", account.Login);

        AssertUserError(result);
        Assert.Contains(Lines(show), l => l.Replace(" ", "") == "messages:0");
    });

    [Fact]
    public Task MailboxShow_AfterDeliver_CountsMessagesAndOctets() => fixture.GuardAsync(async () =>
    {
        var messages = new[] { TestMessages.Plain(), TestMessages.BareLf(), TestMessages.NoFinalNewline() };
        var mailbox = await fixture.CreateMailboxAsync("clishow", messages);

        var show = await fixture.CliOkAsync(null, "mailbox", "show", mailbox.Login);

        var fields = Lines(show).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p.Length > 1 ? p[1].Trim() : "");
        Assert.Equal(mailbox.Login, fields["mailbox"]);
        Assert.Equal("3", fields["messages"]);
        Assert.Equal(messages.Sum(m => m.Normalized.Length).ToString(), fields["octets"]);
        Assert.Equal("no", fields["locked"]);
    });

    [Fact]
    public Task MailboxShow_UnknownMailbox_ExitOne() => fixture.GuardAsync(async () =>
    {
        var result = await fixture.CliAsync("mailbox", "show", ServerFixture.UniqueLogin("nomailbox"));

        AssertUserError(result);
    });

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("account", "remove", "x")]
    [InlineData("deliver", "onlymailbox")]
    [InlineData("account", "list", "--no-such-option")]
    public Task UnknownOrIncompleteCommand_ExitOne(params string[] args) => fixture.GuardAsync(async () =>
    {
        var result = await fixture.CliAsync(args);

        AssertUserError(result);
    });

    [Fact]
    public Task AccountList_NoServerOnGatewayPort_ExitTwoQuickly() => fixture.GuardAsync(async () =>
    {
        var ports = FreePorts.Allocate(3);
        var settings = ServerProcess.SettingsFor(ports[0], ports[1], ports[2], fixture.NewScratchDirectory("noserver"));
        var watch = Stopwatch.StartNew();

        var result = await ServerProcess.RunCliAsync(settings, fixture.Server.Root, ["account", "list"], timeout: TimeSpan.FromSeconds(20));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Single(Lines(result.Stderr));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"exit 2 took {watch.Elapsed.TotalSeconds:F1} s");
    });

    [Fact]
    public Task AccountAdd_NoServerOnGatewayPort_ExitTwo() => fixture.GuardAsync(async () =>
    {
        var ports = FreePorts.Allocate(3);
        var settings = ServerProcess.SettingsFor(ports[0], ports[1], ports[2], fixture.NewScratchDirectory("noserver"));

        var result = await ServerProcess.RunCliAsync(settings, fixture.Server.Root,
            ["account", "add", ServerFixture.UniqueLogin("clinoserver"), "--password-stdin"], "secret\n", TimeSpan.FromSeconds(20));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Single(Lines(result.Stderr));
    });


    /// <summary>Exit code 1, exactly one line on stderr (the contract for user errors).</summary>
    private static void AssertUserError(ProcessResult result)
    {
        Assert.True(result.ExitCode == 1, $"expected exit 1: {result}");
        var lines = Lines(result.Stderr);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got {lines.Length}: {result}");
    }

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
