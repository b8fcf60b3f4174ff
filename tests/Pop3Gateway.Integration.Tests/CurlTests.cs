using System.Text;
using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests;

/// <summary>curl's pop3:// URLs: curl undoes the dot-stuffing and writes the message bytes unchanged, so the file is byte-exact.</summary>
[Collection(DebianClientsCollection.Name)]
public sealed class CurlTests(ServerFixture fixture)
{
    [Fact]
    public Task Retr_EveryMessage_FilesByteExact() => fixture.GuardAsync(async () =>
    {
        var curl = ExternalTool.Require("curl", "curl");
        var mailbox = await fixture.CreateMailboxAsync("curl", TestMessages.All());
        var directory = fixture.NewScratchDirectory("curl");

        var fetched = new List<byte[]>();
        for (var n = 1; n <= mailbox.Messages.Count; n++)
        {
            var file = Path.Combine(directory, $"{n}.eml");
            var result = await ProcessRunner.RunAsync(curl, ["--silent", "--show-error", "--max-time", "60", "-o", file, Url(mailbox, n.ToString())]);
            Assert.True(result.ExitCode == 0, result.ToString());
            fetched.Add(await File.ReadAllBytesAsync(file));
        }

        FetchedMail.AssertInOrder(mailbox.Messages, fetched, m => m.Normalized, "curl");
    });

    [Fact]
    public Task ListAndUidl_SizesAndUidlsMatchDelivery() => fixture.GuardAsync(async () =>
    {
        var curl = ExternalTool.Require("curl", "curl");
        var mailbox = await fixture.CreateMailboxAsync("curllist", [TestMessages.Plain(), TestMessages.Large(), TestMessages.BareLf()]);

        var list = await ProcessRunner.RunAsync(curl, ["--silent", "--show-error", "--max-time", "60", Url(mailbox, "")]);
        var uidl = await ProcessRunner.RunAsync(curl, ["--silent", "--show-error", "--max-time", "60", "-X", "UIDL", Url(mailbox, "")]);

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.True(uidl.ExitCode == 0, uidl.ToString());
        var expectedList = string.Concat(mailbox.Messages.Select((m, i) => $"{i + 1} {m.Normalized.Length}\r\n"));
        var expectedUidl = string.Concat(mailbox.Uidls.Select((u, i) => $"{i + 1} {u}\r\n"));
        Assert.Equal(expectedList, list.Stdout);
        Assert.Equal(expectedUidl, uidl.Stdout);
    });

    [Fact]
    public Task Retr_WrongPassword_CurlLoginDenied() => fixture.GuardAsync(async () =>
    {
        var curl = ExternalTool.Require("curl", "curl");
        var account = await fixture.CreateAccountAsync("curlwrong");

        var result = await ProcessRunner.RunAsync(curl,
            ["--silent", "--max-time", "60", $"pop3://{account.Login}:wrong{account.Password}@127.0.0.1:{fixture.Pop3Port}/1"]);

        Assert.True(result.ExitCode == 67, $"expected curl's 'login denied' (67): {result}");
    });

    private string Url(SeededMailbox mailbox, string path) =>
        $"pop3://{mailbox.Login}:{mailbox.Password}@127.0.0.1:{fixture.Pop3Port}/{path}";
}
