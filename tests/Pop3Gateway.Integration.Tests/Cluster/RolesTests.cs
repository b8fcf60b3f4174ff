using System.Net.Sockets;
using System.Text;
using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests.Cluster;

/// <summary>
/// <c>serve --role silo</c> and <c>serve --role frontend</c> as separate processes: the front-end serves
/// POP3 and LMTP through its Orleans client, the silo has no mail listeners, both report ready.
/// </summary>
public sealed class RolesTests(RolesFixture roles) : IClassFixture<RolesFixture>
{
    private ServerFixture Frontend => roles.Frontend;

    [Fact]
    public Task Frontend_Pop3AndLmtp_ServedByTheSiloProcess() => roles.GuardAsync(async () =>
    {
        var mailbox = await Frontend.CreateMailboxAsync("roles", [TestMessages.Plain("r1"), TestMessages.Dots()]);
        await using (var lmtp = await RawLmtpClient.ConnectAsync(Frontend.Server.LmtpPort))
        {
            await lmtp.SendAsync($"LHLO mta.example\r\nMAIL FROM:<>\r\nRCPT TO:<{mailbox.Login}>\r\nDATA\r\n");
            Assert.Contains("250 SIZE", await lmtp.ReadReplyAsync());
            Assert.StartsWith("250 2.1.0", await lmtp.ReadLineAsync());
            Assert.StartsWith("250 2.1.5", await lmtp.ReadLineAsync());
            Assert.StartsWith("354", await lmtp.ReadLineAsync());
            await lmtp.SendAsync("Subject: by lmtp\r\n\r\nthird\r\n.\r\n");
            Assert.StartsWith("250 2.0.0", await lmtp.ReadLineAsync());
        }

        await using (var client = await RawPop3Client.LoginAsync(Frontend.Pop3Port, mailbox.Login, mailbox.Password))
        {
            Assert.StartsWith("+OK 3 ", await client.CommandAsync("STAT"));
            await client.ExpectOkAsync("RETR 2");
            Assert.Equal(mailbox.Messages[1].Normalized, await client.ReadMultilineAsync());
            await client.ExpectOkAsync("DELE 1");
            Assert.StartsWith("+OK Bye, 1 messages deleted", await client.CommandAsync("QUIT"));
        }
        await using (var again = await RawPop3Client.LoginAsync(Frontend.Pop3Port, mailbox.Login, mailbox.Password))
        {
            await again.ExpectOkAsync("UIDL");
            var listing = Encoding.ASCII.GetString(await again.ReadMultilineAsync());
            Assert.Equal(2, listing.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.DoesNotContain(mailbox.Uidls[0], listing);
            Assert.Contains(mailbox.Uidls[1], listing);
            await again.ExpectOkAsync("QUIT");
        }
    });

    [Fact]
    public Task Silo_HasNoMailListeners_BothRolesReady() => roles.GuardAsync(async () =>
    {
        await AssertRefusedAsync(roles.Silo.Pop3Port);
        await AssertRefusedAsync(roles.Silo.LmtpPort);

        Assert.Equal(200, await RoleProcesses.ReadyStatusAsync(roles.Silo));
        Assert.Equal(200, await RoleProcesses.ReadyStatusAsync(Frontend.Server));
    });

    private static async Task AssertRefusedAsync(int port)
    {
        using var client = new TcpClient();
        var error = await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync("127.0.0.1", port));
        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }
}
