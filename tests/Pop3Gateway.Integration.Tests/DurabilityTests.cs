using System.Text.Json;
using Azure.Storage.Blobs;
using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests;

/// <summary>
/// Restarts of the server on the same data directory and ports: accounts, mail and UIDLs
/// survive; marks of a session that never reached QUIT are never committed; a QUIT that got
/// +OK is durable even through kill -9.
/// </summary>
public sealed class DurabilityTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public Task Restart_AfterSigterm_MailAndUidlsUnchanged() => fixture.GuardAsync(async () =>
    {
        var mailbox = await fixture.CreateMailboxAsync("durterm", TestMessages.All());

        var exitCode = await Server.StopAsync();
        await Server.StartAsync();

        Assert.Equal(0, exitCode);
        using var client = await MailKitSession.LoginAsync(Server.Pop3Port, mailbox.Login, mailbox.Password);
        Assert.Equal(mailbox.Uidls, await client.GetMessageUidsAsync());
        Assert.Equal(mailbox.Messages.Select(m => m.Normalized.Length), await client.GetMessageSizesAsync());
        for (var i = 0; i < mailbox.Messages.Count; i++)
        {
            var fetched = await MailKitSession.FetchAsync(client, i);
            Assert.True(mailbox.Messages[i].Normalized.AsSpan().SequenceEqual(fetched),
                $"after restart, message {i + 1} ({mailbox.Messages[i]}): {FetchedMail.Difference(mailbox.Messages[i].Normalized, fetched)}");
        }
        await client.DisconnectAsync(quit: true);
    });

    [Fact]
    public Task KillDuringSession_AfterDele_NothingDeleted() => fixture.GuardAsync(async () =>
    {
        var mailbox = await fixture.CreateMailboxAsync("durkill",
            [TestMessages.Plain("k1"), TestMessages.Dots(), TestMessages.Plain("k3")]);
        var client = await RawPop3Client.LoginAsync(Server.Pop3Port, mailbox.Login, mailbox.Password);
        await client.ExpectOkAsync("DELE 1");
        await client.ExpectOkAsync("DELE 3");
        await client.ExpectOkAsync("NOOP");

        await Server.KillAsync();
        await client.DisposeAsync();
        await Server.StartAsync();

        using var again = await MailKitSession.LoginSoonAsync(Server.Pop3Port, mailbox.Login, mailbox.Password, TimeSpan.FromSeconds(20));
        Assert.Equal(mailbox.Uidls, await again.GetMessageUidsAsync());
        Assert.Equal(mailbox.Messages[1].Normalized, await MailKitSession.FetchAsync(again, 1));
        await again.DisconnectAsync(quit: true);
    });

    [Fact]
    public Task DeleThenQuit_KillAndRestart_DeletedStayGoneAndUidlsNotReused() => fixture.GuardAsync(async () =>
    {
        var mailbox = await fixture.CreateMailboxAsync("durquit",
            [TestMessages.Plain("q1"), TestMessages.Utf8(), TestMessages.Plain("q3")]);
        string? quitReply;
        await using (var client = await RawPop3Client.LoginAsync(Server.Pop3Port, mailbox.Login, mailbox.Password))
        {
            await client.ExpectOkAsync("DELE 2");
            await client.SendRawAsync("QUIT\r\n");
            quitReply = await client.ReadLineAsync();
            await client.IsClosedByServerAsync();
        }

        // The +OK to QUIT promises the commit is durable: kill -9 straight after it.
        await Server.KillAsync();
        await Server.StartAsync();

        var later = await fixture.DeliverAsync(mailbox.Login, [TestMessages.Plain("q4")]);
        using var again = await MailKitSession.LoginSoonAsync(Server.Pop3Port, mailbox.Login, mailbox.Password, TimeSpan.FromSeconds(20));
        Assert.Equal([mailbox.Uidls[0], mailbox.Uidls[2], later[0]], await again.GetMessageUidsAsync());
        Assert.DoesNotContain(later[0], mailbox.Uidls);
        Assert.Equal(mailbox.Messages[2].Normalized, await MailKitSession.FetchAsync(again, 1));
        await again.DisconnectAsync(quit: true);
        Assert.True(quitReply?.StartsWith("+OK", StringComparison.Ordinal) == true,
            $"QUIT got '{quitReply ?? "(connection closed, no reply)"}' instead of +OK");
    });

    [Fact]
    public Task Restart_AfterSigterm_PasswordChangeAndGrantKept() => fixture.GuardAsync(async () =>
    {
        var owner = await fixture.CreateMailboxAsync("durowner", [TestMessages.Plain("granted")]);
        var reader = await fixture.CreateAccountAsync("durreader");
        var newPassword = ServerFixture.NewPassword();
        await fixture.CliOkAsync(newPassword + "\n", "account", "passwd", reader.Login, "--password-stdin");
        await fixture.CliOkAsync(null, "account", "grant", reader.Login, owner.Login);

        await Server.StopAsync();
        await Server.StartAsync();

        using var client = await MailKitSession.LoginAsync(Server.Pop3Port, $@"{reader.Login}\{owner.Login}", newPassword);
        Assert.Equal(owner.Uidls, await client.GetMessageUidsAsync());
        await client.DisconnectAsync(quit: true);
    });

    [Fact]
    public Task Restart_DirectoryIndexLost_RebuiltFromTheStoreAndEveryAccountListed() => fixture.GuardAsync(async () =>
    {
        var prefix = ServerFixture.UniqueLogin("durdir")[..12];
        string[] logins = [prefix + "a", prefix + "b", prefix + "c"];
        foreach (var login in logins)
        {
            await fixture.CliOkAsync(ServerFixture.NewPassword() + "\n", "account", "add", login, "--password-stdin");
        }

        await Server.StopAsync();
        Assert.True(await DirectoryIndex.DeleteAsync(Server), "the directory index was not stored where expected");
        await Server.StartAsync();
        using var json = JsonDocument.Parse(await fixture.CliOkAsync(null, "account", "list", "--prefix", prefix, "--json"));

        Assert.Equal(logins, json.RootElement.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("login").GetString()));
        Assert.True(await DirectoryIndex.ExistsAsync(Server), "the directory index was not stored again");
    });

    /// <summary>The stored record of the account directory's occupied-shard index, on either storage profile.</summary>
    private static class DirectoryIndex
    {
        private static string FilePath(ServerProcess server) =>
            Path.Combine(server.DataDirectory, "grains", "directory-index", "accountdirectoryindex", "accounts.state");

        private static BlobClient Blob(ServerProcess server) =>
            new BlobContainerClient(server.Environment["POP3GW__Storage__AzureConnectionString"], server.Environment["POP3GW__Storage__StateContainer"])
                .GetBlobClient("directory-index-accountdirectoryindex/accounts.json");

        public static async Task<bool> DeleteAsync(ServerProcess server)
        {
            if (StorageProfile.IsAzure)
            {
                return await Blob(server).DeleteIfExistsAsync();
            }
            var exists = File.Exists(FilePath(server));
            File.Delete(FilePath(server));
            return exists;
        }

        public static async Task<bool> ExistsAsync(ServerProcess server) =>
            StorageProfile.IsAzure ? await Blob(server).ExistsAsync() : File.Exists(FilePath(server));
    }
}
