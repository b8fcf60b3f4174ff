using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests;

/// <summary>
/// mpop delivering to a maildir, with its Received header turned off. Maildir files use LF
/// line endings, so each file must be exactly the delivered message with CRLF → LF.
/// </summary>
[Collection(DebianClientsCollection.Name)]
public sealed class MpopTests(ServerFixture fixture)
{
    [Fact]
    public Task Fetch_EveryMessage_MaildirFilesExactWithLfEndings() => fixture.GuardAsync(async () =>
    {
        var mpop = ExternalTool.Require("mpop", "mpop");
        var mailbox = await fixture.CreateMailboxAsync("mpop", TestMessages.All());
        var home = fixture.NewScratchDirectory("mpop");
        var maildir = FetchedMail.CreateMaildir(home);
        var rcfile = await WriteConfigAsync(home, mailbox, maildir);

        var result = await RunAsync(mpop, rcfile);

        Assert.True(result.ExitCode == 0, result.ToString());
        FetchedMail.AssertSameSet(mailbox.Messages, FetchedMail.ReadMaildir(maildir), m => TestMessages.ToLf(m.Normalized), "mpop");
    });

    [Fact]
    public Task SecondRun_OneNewDelivery_OnlyTheNewMessageFetchedByUidl() => fixture.GuardAsync(async () =>
    {
        var mpop = ExternalTool.Require("mpop", "mpop");
        var mailbox = await fixture.CreateMailboxAsync("mpopnew", [TestMessages.Plain("old1"), TestMessages.Plain("old2")]);
        var home = fixture.NewScratchDirectory("mpop");
        var maildir = FetchedMail.CreateMaildir(home);
        var rcfile = await WriteConfigAsync(home, mailbox, maildir);

        var first = await RunAsync(mpop, rcfile);
        Assert.True(first.ExitCode == 0, first.ToString());
        var newMessage = TestMessages.LongLine();
        await fixture.DeliverAsync(mailbox.Login, [newMessage]);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(maildir, "new")))
        {
            File.Delete(file);
        }
        var second = await RunAsync(mpop, rcfile);

        Assert.True(second.ExitCode == 0, second.ToString());
        FetchedMail.AssertSameSet([newMessage], FetchedMail.ReadMaildir(maildir), m => TestMessages.ToLf(m.Normalized), "mpop (second run)");
    });

    private static Task<ProcessResult> RunAsync(string mpop, string rcfile) =>
        ProcessRunner.RunAsync(mpop, ["-C", rcfile, "--debug", "test"]);

    private async Task<string> WriteConfigAsync(string home, SeededMailbox mailbox, string maildir)
    {
        var rcfile = Path.Combine(home, "mpoprc");
        await File.WriteAllTextAsync(rcfile, $"""
            defaults
            tls off
            timeout 60

            account test
            host 127.0.0.1
            port {fixture.Pop3Port}
            auth user
            user {mailbox.Login}
            passwordeval "echo {mailbox.Password}"
            delivery maildir {maildir}
            keep on
            received_header off
            uidls_file {Path.Combine(home, "uidls")}

            """);
        File.SetUnixFileMode(rcfile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return rcfile;
    }
}
