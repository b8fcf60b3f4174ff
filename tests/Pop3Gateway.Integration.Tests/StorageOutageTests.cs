using System.Diagnostics;
using Pop3Gateway.Integration.Tests.Infrastructure;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Integration.Tests;

/// <summary>A server on the Azure profile and an Azurite of its own, which the tests stop and start again.</summary>
public sealed class OutageFixture : IAsyncLifetime
{
    public AzuriteProcess Azurite { get; } = new();

    public ServerFixture Fixture { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Azurite.StartAsync();
        Fixture = new ServerFixture(new ServerProcess(StorageProfile.AzureSettings(Azurite.ConnectionString, Guid.NewGuid().ToString("N"))));
        await Fixture.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Fixture.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}

/// <summary>
/// Azure Storage goes away in the middle of a session: commands that need it answer
/// <c>-ERR [SYS/TEMP]</c> within seconds, QUIT deletes nothing, a CLI delivery fails with exit 2;
/// once storage is back everything works and no message was lost or duplicated.
/// </summary>
public sealed class StorageOutageTests(OutageFixture outage) : IClassFixture<OutageFixture>
{
    /// <summary>Far below the 30 s a client would wait; far above the SDK's retries (two, a second apart at most).</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(15);

    /// <summary>The front-end's 30 s of asking again about a commit whose outcome is unknown, plus <see cref="Prompt"/>.</summary>
    private static readonly TimeSpan QuitPrompt = TimeSpan.FromSeconds(45);

    private ServerFixture Fixture => outage.Fixture;

    [Fact]
    public Task StorageDown_MidSession_SysTempPromptlyAndNothingLost() => Fixture.GuardAsync(async () =>
    {
        var mailbox = await Fixture.CreateMailboxAsync("outage",
            [TestMessages.Plain("o1"), TestMessages.Dots(), TestMessages.Plain("o3")]);
        var client = await RawPop3Client.LoginAsync(Fixture.Pop3Port, mailbox.Login, mailbox.Password);
        await client.ExpectOkAsync("STAT");

        await outage.Azurite.StopAsync();
        string retr, dele, quit;
        TimeSpan retrTook, quitTook;
        try
        {
            (retr, retrTook) = await Timed(() => client.CommandAsync("RETR 1"));
            dele = await client.CommandAsync("DELE 2");
            (quit, quitTook) = await Timed(() => client.CommandAsync("QUIT"));
            var delivery = await Fixture.CliWithStdinAsync("Subject: during the outage\r\n\r\nlost?\r\n", "deliver", mailbox.Login, "-");
            Assert.True(delivery.ExitCode == 2, $"a delivery during the outage: {delivery}");
        }
        finally
        {
            await client.DisposeAsync();
            await outage.Azurite.StartAsync();
        }

        Assert.StartsWith("-ERR [SYS/TEMP]", retr);
        Assert.True(retrTook < Prompt, $"RETR took {retrTook.TotalSeconds:F1} s");
        Assert.StartsWith("+OK", dele);
        // The commit's write failed without saying whether it landed, so the front-end asks again for up to
        // 30 s before it answers; either answer is true here, and the check below shows nothing was deleted.
        Assert.Contains(quit, new[] { "-ERR " + Pop3Replies.CommitFailed.Text, "-ERR " + Pop3Replies.CommitUnknown.Text });
        Assert.True(quitTook < QuitPrompt, $"QUIT took {quitTook.TotalSeconds:F1} s");

        // Storage is back: the same three messages, byte for byte, and deleting works again.
        using (var again = await MailKitSession.LoginSoonAsync(Fixture.Pop3Port, mailbox.Login, mailbox.Password, TimeSpan.FromSeconds(60)))
        {
            Assert.Equal(mailbox.Uidls, await again.GetMessageUidsAsync());
            for (var i = 0; i < mailbox.Messages.Count; i++)
            {
                Assert.Equal(mailbox.Messages[i].Normalized, await MailKitSession.FetchAsync(again, i));
            }
            await again.DeleteMessageAsync(1);
            await again.DisconnectAsync(quit: true);
        }
        var later = await Fixture.DeliverAsync(mailbox.Login, [TestMessages.Plain("o4")]);
        using var last = await MailKitSession.LoginAsync(Fixture.Pop3Port, mailbox.Login, mailbox.Password);
        Assert.Equal([mailbox.Uidls[0], mailbox.Uidls[2], later[0]], await last.GetMessageUidsAsync());
        await last.DisconnectAsync(quit: true);
    });

    private static async Task<(string Reply, TimeSpan Took)> Timed(Func<Task<string>> command)
    {
        var watch = Stopwatch.StartNew();
        var reply = await command();
        return (reply, watch.Elapsed);
    }
}
