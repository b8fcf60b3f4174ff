using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests;

/// <summary>
/// fetchmail, delivering each message to an MDA that writes it to a numbered file.
/// fetchmail prepends its own "Received:" header and hands the MDA LF line endings;
/// after that header the file must be exactly the delivered message with CRLF → LF.
/// </summary>
[Collection(DebianClientsCollection.Name)]
public sealed class FetchmailTests(ServerFixture fixture)
{
    [Fact]
    public Task FetchAll_Keep_EveryMessageExactAfterReceivedHeaderAndMailboxUnchanged() => fixture.GuardAsync(async () =>
    {
        var fetchmail = ExternalTool.Require("fetchmail", "fetchmail");
        var mailbox = await fixture.CreateMailboxAsync("fm", TestMessages.All());

        var (result, fetched) = await RunAsync(fetchmail, mailbox, keep: true);

        FetchedMail.AssertInOrder(mailbox.Messages, fetched.Select(f => FetchedMail.WithoutFirstHeader(f, "Received")).ToList(),
            m => TestMessages.ToLf(m.Normalized), "fetchmail", result);
        Assert.True(result.ExitCode == 0, result.ToString());
        await using var check = await RawPop3Client.LoginAsync(fixture.Pop3Port, mailbox.Login, mailbox.Password);
        Assert.Equal($"+OK {mailbox.Messages.Count} {mailbox.Messages.Sum(m => m.Normalized.Length)}", await check.CommandAsync("STAT"));
    });

    [Fact]
    public Task FetchAll_NoKeep_MessagesDeletedOnQuit() => fixture.GuardAsync(async () =>
    {
        var fetchmail = ExternalTool.Require("fetchmail", "fetchmail");
        var mailbox = await fixture.CreateMailboxAsync("fmdel", [TestMessages.Plain(), TestMessages.Dots(), TestMessages.Utf8()]);

        var (result, fetched) = await RunAsync(fetchmail, mailbox, keep: false);

        Assert.True(mailbox.Messages.Count == fetched.Count, $"fetchmail stored {fetched.Count} messages\n{result}");
        await using var check = await RawPop3Client.LoginAsync(fixture.Pop3Port, mailbox.Login, mailbox.Password);
        Assert.Equal("+OK 0 0", await check.CommandAsync("STAT"));
        Assert.True(result.ExitCode == 0, result.ToString());
    });

    private async Task<(ProcessResult Result, IReadOnlyList<byte[]> Fetched)> RunAsync(string fetchmail, SeededMailbox mailbox, bool keep)
    {
        var home = fixture.NewScratchDirectory("fetchmail");
        var output = Path.Combine(home, "out");
        Directory.CreateDirectory(output);
        var mda = Path.Combine(home, "mda.sh");
        await File.WriteAllTextAsync(mda, "#!/bin/sh\nn=$(ls \"$1\" | wc -l)\ncat > \"$1/$(printf %03d $((n + 1))).eml\"\n");
        File.SetUnixFileMode(mda, (UnixFileMode)0b111_101_101);
        var rcfile = Path.Combine(home, "fetchmailrc");
        await File.WriteAllTextAsync(rcfile, $"""
            set no bouncemail
            set no syslog
            poll 127.0.0.1 service {fixture.Pop3Port} protocol pop3 auth password timeout 60
              user "{mailbox.Login}" there with password "{mailbox.Password}"
              sslproto '' no sslcertck
              {(keep ? "keep" : "no keep")} fetchall no rewrite
              mda "{mda} {output}"

            """);
        File.SetUnixFileMode(rcfile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var environment = new Dictionary<string, string> { ["FETCHMAILHOME"] = home, ["HOME"] = home };

        var result = await ProcessRunner.RunAsync(fetchmail,
            ["-f", rcfile, "--nosyslog", "--nodetach", "--sslproto", "", "-v", "--pidfile", Path.Combine(home, "pid")],
            environment, workingDirectory: home);

        var fetched = Directory.EnumerateFiles(output).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        return (result, fetched);
    }
}
