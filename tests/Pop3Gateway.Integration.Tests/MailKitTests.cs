using MailKit.Net.Pop3;
using MailKit.Security;
using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests;

/// <summary>MailKit's Pop3Client as a real, strict client: counts, sizes, UIDLs, byte-exact bodies, deletes, auth, the lock.</summary>
public sealed class MailKitTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private int Port => fixture.Pop3Port;

    [Fact]
    public Task Fetch_EveryTrickyMessage_CountSizesUidlsAndBytesExact() => fixture.GuardAsync(async () =>
    {
        var mailbox = await fixture.CreateMailboxAsync("mkfetch", TestMessages.All());

        using var client = await MailKitSession.LoginAsync(Port, mailbox.Login, mailbox.Password);

        Assert.Equal(mailbox.Messages.Count, client.Count);
        Assert.Equal(mailbox.Messages.Select(m => m.Normalized.Length), await client.GetMessageSizesAsync());
        Assert.Equal(mailbox.Uidls, await client.GetMessageUidsAsync());
        for (var i = 0; i < mailbox.Messages.Count; i++)
        {
            var fetched = await MailKitSession.FetchAsync(client, i);
            Assert.True(mailbox.Messages[i].Normalized.AsSpan().SequenceEqual(fetched),
                $"message {i + 1} ({mailbox.Messages[i]}) differs: fetched {fetched.Length} octets");
        }
        await client.DisconnectAsync(quit: true);
    });

    [Fact]
    public Task DeleteAndQuit_TwoOfThree_SecondSessionSeesOnlyTheRest() => fixture.GuardAsync(async () =>
    {
        var messages = new[] { TestMessages.Plain("first"), TestMessages.Plain("second"), TestMessages.Plain("third") };
        var mailbox = await fixture.CreateMailboxAsync("mkdele", messages);

        using (var first = await MailKitSession.LoginAsync(Port, mailbox.Login, mailbox.Password))
        {
            await first.DeleteMessageAsync(0);
            await first.DeleteMessageAsync(2);
            await first.DisconnectAsync(quit: true);
        }
        using var second = await MailKitSession.LoginSoonAsync(Port, mailbox.Login, mailbox.Password, TimeSpan.FromSeconds(20));

        Assert.Equal(1, second.Count);
        Assert.Equal([mailbox.Uidls[1]], await second.GetMessageUidsAsync());
        Assert.Equal(messages[1].Normalized, await MailKitSession.FetchAsync(second, 0));
        await second.DisconnectAsync(quit: true);
    });

    [Fact]
    public Task DeleteThenReset_AllMessagesStay() => fixture.GuardAsync(async () =>
    {
        var mailbox = await fixture.CreateMailboxAsync("mkrset", [TestMessages.Plain("a"), TestMessages.Plain("b")]);

        using (var first = await MailKitSession.LoginAsync(Port, mailbox.Login, mailbox.Password))
        {
            await first.DeleteMessageAsync(0);
            await first.ResetAsync();
            await first.DisconnectAsync(quit: true);
        }
        using var second = await MailKitSession.LoginSoonAsync(Port, mailbox.Login, mailbox.Password, TimeSpan.FromSeconds(20));

        Assert.Equal(mailbox.Uidls, await second.GetMessageUidsAsync());
        await second.DisconnectAsync(quit: true);
    });

    [Theory]
    [InlineData("USER")]
    public Task Authenticate_Mechanism_OpensOwnMailbox(string mechanism) => fixture.GuardAsync(async () =>
    {
        var mailbox = await fixture.CreateMailboxAsync("mkmech", [TestMessages.Plain()]);
        using var client = await MailKitSession.ConnectAsync(Port);
        Assert.True(mechanism == "USER" || client.AuthenticationMechanisms.Contains(mechanism),
            $"CAPA does not offer SASL {mechanism}; offered: [{string.Join(' ', client.AuthenticationMechanisms)}]");

        if (mechanism == "USER")
        {
            client.AuthenticationMechanisms.Clear(); // MailKit falls back to USER/PASS
            await client.AuthenticateAsync(mailbox.Login, mailbox.Password);
        }
        else
        {
            var credentials = new System.Net.NetworkCredential(mailbox.Login, mailbox.Password);
            await client.AuthenticateAsync(SaslMechanism.Create(mechanism, credentials)!);
        }

        Assert.Equal(mailbox.Uidls, await client.GetMessageUidsAsync());
        await client.DisconnectAsync(quit: true);
    });

    [Fact]
    public Task Authenticate_WrongPassword_AuthenticationException() => fixture.GuardAsync(async () =>
    {
        var account = await fixture.CreateAccountAsync("mkwrong");
        using var client = await MailKitSession.ConnectAsync(Port);

        await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(account.Login, account.Password + "x"));
    });

    [Fact]
    public Task Authenticate_UnknownAccount_AuthenticationException() => fixture.GuardAsync(async () =>
    {
        using var client = await MailKitSession.ConnectAsync(Port);

        await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(ServerFixture.UniqueLogin("mknobody"), "whatever"));
    });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public Task Authenticate_GrantedAlias_OpensOtherMailbox(bool withDomain) => fixture.GuardAsync(async () =>
    {
        var owner = await fixture.CreateMailboxAsync("mkowner", [TestMessages.Plain("shared"), TestMessages.Dots()]);
        var reader = await fixture.CreateAccountAsync("mkreader");
        await fixture.CliOkAsync(null, "account", "grant", reader.Login, owner.Login);
        var user = withDomain ? $@"example\{reader.Login}\{owner.Login}" : $@"{reader.Login}\{owner.Login}";

        using var client = await MailKitSession.LoginAsync(Port, user, reader.Password);

        Assert.Equal(owner.Uidls, await client.GetMessageUidsAsync());
        Assert.Equal(owner.Messages[1].Normalized, await MailKitSession.FetchAsync(client, 1));
        await client.DisconnectAsync(quit: true);
    });

    [Fact]
    public Task Authenticate_UngrantedAlias_AuthenticationException() => fixture.GuardAsync(async () =>
    {
        var owner = await fixture.CreateMailboxAsync("mkprivate", [TestMessages.Plain()]);
        var stranger = await fixture.CreateAccountAsync("mkstranger");
        using var client = await MailKitSession.ConnectAsync(Port);

        await Assert.ThrowsAsync<AuthenticationException>(() =>
            client.AuthenticateAsync($@"{stranger.Login}\{owner.Login}", stranger.Password));
    });

    [Fact]
    public Task Authenticate_AliasWithOwnersPasswordButNoGrant_AuthenticationException() => fixture.GuardAsync(async () =>
    {
        var owner = await fixture.CreateMailboxAsync("mkowner2", [TestMessages.Plain()]);
        var stranger = await fixture.CreateAccountAsync("mkstranger2");
        using var client = await MailKitSession.ConnectAsync(Port);

        // Credentials are always the account's own: the owner's password does not open it through another login.
        await Assert.ThrowsAsync<AuthenticationException>(() =>
            client.AuthenticateAsync($@"{stranger.Login}\{owner.Login}", owner.Password));
    });

    [Fact]
    public Task SecondLogin_WhileFirstHoldsMailbox_InUseThenReleasedAtOnceWithoutDeleting() => fixture.GuardAsync(async () =>
    {
        var mailbox = await fixture.CreateMailboxAsync("mklock", [TestMessages.Plain("one"), TestMessages.Plain("two")]);
        var first = await MailKitSession.LoginAsync(Port, mailbox.Login, mailbox.Password);
        await first.DeleteMessageAsync(0);

        await using (var second = await RawPop3Client.ConnectAsync(Port))
        {
            await second.ExpectOkAsync($"USER {mailbox.Login}");
            var refused = await second.ExpectErrAsync($"PASS {mailbox.Password}");
            Assert.StartsWith("-ERR [IN-USE]", refused);
        }
        using (var third = await MailKitSession.ConnectAsync(Port))
        {
            await Assert.ThrowsAsync<AuthenticationException>(() => third.AuthenticateAsync(mailbox.Login, mailbox.Password));
        }

        await first.DisconnectAsync(quit: false); // the connection ends without QUIT
        first.Dispose();
        // "At once": the first login attempt may race the server noticing the closed socket; allow up to 20 s under load, far below the 90 s lease.
        using var again = await MailKitSession.LoginSoonAsync(Port, mailbox.Login, mailbox.Password, TimeSpan.FromSeconds(20));

        Assert.Equal(mailbox.Uidls, await again.GetMessageUidsAsync());
        await again.DisconnectAsync(quit: true);
    });
}
