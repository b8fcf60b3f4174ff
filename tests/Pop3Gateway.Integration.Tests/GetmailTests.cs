using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests;

/// <summary>
/// getmail6 (SimplePOP3Retriever into a Maildir, delete = false). getmail always prepends
/// "Return-Path: &lt;unknown&gt;" and writes LF line endings (its Received and Delivered-To
/// headers are turned off); after that line each file must be exactly the delivered message
/// with CRLF → LF.
/// </summary>
[Collection(DebianClientsCollection.Name)]
public sealed class GetmailTests(ServerFixture fixture)
{
    [Fact]
    public Task Retrieve_EveryMessage_MaildirFilesExactAfterReturnPath() => fixture.GuardAsync(async () =>
    {
        var getmail = ExternalTool.Require("getmail", "getmail6");
        var mailbox = await fixture.CreateMailboxAsync("gm", TestMessages.All());
        var (result, maildir) = await RetrieveAsync(getmail, mailbox);
        if (LostItsChild(result))
        {
            // getmail6 installs its SIGCHLD handler only after fork(); a delivery child that exits
            // before the parent runs again is never noticed, and the parent gives up after its
            // timeout (getmail6 issues #52, #226, #245). That is the client's race, not a POP3
            // outcome: the mailbox is untouched (delete = false), so run it once more, afresh, as
            // soon as the abandoned session has let the mailbox go.
            await using (var free = await RawPop3Client.LoginSoonAsync(fixture.Pop3Port, mailbox.Login, mailbox.Password, TimeSpan.FromSeconds(30)))
            {
                await free.ExpectOkAsync("QUIT");
            }
            (result, maildir) = await RetrieveAsync(getmail, mailbox);
        }

        var fetched = FetchedMail.ReadMaildir(maildir).Select(f => FetchedMail.WithoutFirstHeader(f, "Return-Path")).ToList();
        FetchedMail.AssertSameSet(mailbox.Messages, fetched, m => TestMessages.ToLf(m.Normalized), "getmail", result);
        await using var check = await RawPop3Client.LoginAsync(fixture.Pop3Port, mailbox.Login, mailbox.Password);
        Assert.StartsWith($"+OK {mailbox.Messages.Count} ", await check.CommandAsync("STAT"));
        Assert.True(result.ExitCode == 0, result.ToString());
    });

    private async Task<(ProcessResult Result, string Maildir)> RetrieveAsync(string getmail, SeededMailbox mailbox)
    {
        var home = fixture.NewScratchDirectory("getmail");
        // getmail refuses to deliver as root; it then delivers as 'nobody', who must be able to write the maildir.
        var asRoot = Environment.UserName == "root";
        var maildir = FetchedMail.CreateMaildir(home, worldWritable: asRoot);
        var rcfile = Path.Combine(home, "getmailrc");
        await File.WriteAllTextAsync(rcfile, $"""
            [retriever]
            type = SimplePOP3Retriever
            server = 127.0.0.1
            port = {fixture.Pop3Port}
            username = {mailbox.Login}
            password = {mailbox.Password}
            timeout = 60

            [destination]
            type = Maildir
            path = {maildir}/
            {(asRoot ? "user = nobody" : "")}

            [options]
            delete = false
            read_all = true
            received = false
            delivered_to = false
            message_log_syslog = false
            verbose = 1

            """);
        return (await ProcessRunner.RunAsync(getmail, ["--rcfile", rcfile, "--getmaildir", home]), maildir);
    }

    private static bool LostItsChild(ProcessResult result) =>
        result.ExitCode != 0 && System.Text.RegularExpressions.Regex.IsMatch(
            result.Stdout + result.Stderr, @"operation error \(waiting child pid \d+ timed out\)");
}
