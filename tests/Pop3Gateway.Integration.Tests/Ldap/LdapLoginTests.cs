using MailKit.Security;
using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests.Ldap;

/// <summary>POP3 logins checked by OpenLDAP (search-then-bind over StartTLS), through poplib, MailKit and a raw client.</summary>
[Collection(LdapCollection.Name)]
public sealed class LdapLoginTests(LdapFixture fixture)
{
    private const string PoplibLogin = """
        import poplib, sys
        pop = poplib.POP3("127.0.0.1", int(sys.argv[1]), timeout=60)
        pop.user(sys.argv[2])
        print(pop.pass_(sys.argv[3]).decode())
        print(pop.stat()[0])
        pop.quit()
        """;

    [Fact]
    public Task Login_PoplibUserPassThenMailKitAuthPlain_MailboxMadeAtFirstLoginMailFetched() => fixture.Gateway.GuardAsync(async () =>
    {
        var python = ExternalTool.Require("python3", "python3");

        var first = await ProcessRunner.RunAsync(python, ["-c", PoplibLogin, fixture.Pop3Port.ToString(), "bob", SlapdProcess.Password("bob")]);
        var message = TestMessages.Plain("from-ldap");
        await fixture.Gateway.DeliverAsync("bob", [message]);
        using var client = await MailKitSession.ConnectAsync(fixture.Pop3Port);
        await client.AuthenticateAsync(new SaslMechanismPlain("bob", SlapdProcess.Password("bob")));
        var fetched = await MailKitSession.FetchAsync(client, 0);
        await client.DisconnectAsync(quit: true);

        Assert.True(first.ExitCode == 0 && first.Stdout.StartsWith("+OK", StringComparison.Ordinal), first.ToString());
        Assert.Equal(message.Normalized, fetched);
    });

    [Fact]
    public Task Login_DomainUserAliasGrantedByGroup_OpensDelegatedMailbox() => fixture.Gateway.GuardAsync(async () =>
    {
        var python = ExternalTool.Require("python3", "python3");

        var poplib = await ProcessRunner.RunAsync(python,
            ["-c", PoplibLogin, fixture.Pop3Port.ToString(), @"example.com\alice\sales", SlapdProcess.Password("alice")]);
        using (var client = await MailKitSession.ConnectAsync(fixture.Pop3Port))
        {
            await client.AuthenticateAsync(new SaslMechanismPlain(@"example.com\alice\sales", SlapdProcess.Password("alice")));
            await client.DisconnectAsync(quit: true);
        }
        await using var outsider = await RawPop3Client.ConnectAsync(fixture.Pop3Port);
        await outsider.ExpectOkAsync(@"USER bob\sales");
        var refused = await outsider.CommandAsync("PASS " + SlapdProcess.Password("bob"));

        Assert.True(poplib.ExitCode == 0, poplib.ToString());
        Assert.StartsWith("-ERR [AUTH]", refused);
    });

    [Fact]
    public Task Login_NetbiosDomainUserAndUserAlias_OwnAndDelegatedMailbox() => fixture.Gateway.GuardAsync(async () =>
    {
        var python = ExternalTool.Require("python3", "python3");
        var password = SlapdProcess.Password("alice");
        var own = TestMessages.Plain("netbios-own");
        var delegated = TestMessages.Plain("netbios-delegated");

        // Each mailbox exists after its first login; then mail goes to both.
        var first = await ProcessRunner.RunAsync(python,
            ["-c", PoplibLogin, fixture.Pop3Port.ToString(), LdapFixture.NetbiosDomain + @"\alice", password]);
        var firstDelegated = await ProcessRunner.RunAsync(python,
            ["-c", PoplibLogin, fixture.Pop3Port.ToString(), LdapFixture.NetbiosDomain + @"\alice\sales", password]);
        Assert.True(first.ExitCode == 0 && first.Stdout.StartsWith("+OK", StringComparison.Ordinal), first.ToString());
        Assert.True(firstDelegated.ExitCode == 0 && firstDelegated.Stdout.StartsWith("+OK", StringComparison.Ordinal), firstDelegated.ToString());
        await fixture.Gateway.DeliverAsync("alice", [own]);
        await fixture.Gateway.DeliverAsync("sales", [delegated]);

        byte[] fetchedOwn, fetchedDelegated;
        using (var client = await MailKitSession.ConnectAsync(fixture.Pop3Port))
        {
            await client.AuthenticateAsync(new SaslMechanismPlain(@"example\alice", password));
            fetchedOwn = await MailKitSession.FetchAsync(client, client.Count - 1);
            await client.DisconnectAsync(quit: true);
        }
        using (var client = await MailKitSession.ConnectAsync(fixture.Pop3Port))
        {
            await client.AuthenticateAsync(new SaslMechanismPlain(@"Example\alice\sales", password));
            fetchedDelegated = await MailKitSession.FetchAsync(client, client.Count - 1);
            await client.DisconnectAsync(quit: true);
        }
        // A prefix that is neither listed nor dotted is still a login: OTHER with mailbox alias alice.
        var unlisted = await FailedLoginAsync(@"OTHER\alice", password);

        Assert.Equal(own.Normalized, fetchedOwn);
        Assert.Equal(delegated.Normalized, fetchedDelegated);
        Assert.StartsWith("-ERR [AUTH]", unlisted);
    });

    [Fact]
    public Task Serve_DomainWithBackslash_ExitsWithUsageError() => fixture.Gateway.GuardAsync(async () =>
    {
        var ports = FreePorts.Allocate(3);
        var settings = ServerProcess.SettingsFor(ports[0], ports[1], ports[2], fixture.Gateway.NewScratchDirectory("bad-domain"));
        foreach (var (key, value) in fixture.GatewaySettings(new Dictionary<string, string> { ["POP3GW__Auth__Ldap__Domains__0"] = @"CORP\alice" }))
        {
            settings[key] = value;
        }

        var result = await ServerProcess.RunCliAsync(settings, fixture.Gateway.Server.Root, ["serve"], timeout: TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("Auth:Ldap:Domains", result.Stderr);
    });

    [Fact]
    public Task Login_WrongPasswordUnknownUserDisabledEntry_SameReply() => fixture.Gateway.GuardAsync(async () =>
    {
        var wrong = await FailedLoginAsync("alice", "not-her-password");
        var unknown = await FailedLoginAsync("mallory", "whatever-1");
        var disabled = await FailedLoginAsync("carol", SlapdProcess.Password("carol"));

        Assert.StartsWith("-ERR [AUTH]", wrong);
        Assert.Equal(wrong, unknown);
        Assert.Equal(wrong, disabled);
    });

    [Fact]
    public Task Login_FilterMetacharacters_RefusedAndDirectoryStillAnswers() => fixture.Gateway.GuardAsync(async () =>
    {
        string[] logins = ["*", "alice*", "alice)(uid=*", "*)(|(uid=*", "alice)", @"example.com\*\sales", "(uid=alice)"];
        var replies = new List<string>();
        foreach (var login in logins)
        {
            replies.Add(await FailedLoginAsync(login, SlapdProcess.Password("alice")));
        }

        await using var nul = await RawPop3Client.ConnectAsync(fixture.Pop3Port);
        var nulUser = await nul.CommandAsync("USER ali\0ce");

        Assert.All(replies, reply => Assert.StartsWith("-ERR [AUTH]", reply));
        Assert.StartsWith("-ERR", nulUser);
        await using var alice = await RawPop3Client.LoginAsync(fixture.Pop3Port, "alice", SlapdProcess.Password("alice"));
    });

    [Fact]
    public Task Capa_DirectoryBackend_SaslWithoutScramAndScramRefused() => fixture.Gateway.GuardAsync(async () =>
    {
        await using var client = await RawPop3Client.ConnectAsync(fixture.Pop3Port);
        await client.ExpectOkAsync("CAPA");
        var capabilities = System.Text.Encoding.ASCII.GetString(await client.ReadMultilineAsync());
        var scram = await client.CommandAsync("AUTH SCRAM-SHA-256");

        Assert.Contains("SASL PLAIN LOGIN\r\n", capabilities);
        Assert.DoesNotContain("SCRAM", capabilities);
        Assert.StartsWith("-ERR", scram);
    });

    [Fact]
    public Task Login_SlapdStopped_SysTempThenWorksOnceRestarted() => fixture.Gateway.GuardAsync(async () =>
    {
        // A login first, so the gateway holds pooled directory connections that the restart kills.
        await using (await RawPop3Client.LoginAsync(fixture.Pop3Port, "bob", SlapdProcess.Password("bob")))
        {
        }
        await fixture.Slapd.StopAsync();
        string during, wrongDuring;
        try
        {
            during = await FailedLoginAsync("dave", SlapdProcess.Password("dave"));
            wrongDuring = await FailedLoginAsync("erin", "not-erins-password");
        }
        finally
        {
            await fixture.Slapd.StartAsync();
        }

        Assert.StartsWith("-ERR [SYS/TEMP]", during);
        Assert.StartsWith("-ERR [SYS/TEMP]", wrongDuring);
        await using (await RawPop3Client.LoginAsync(fixture.Pop3Port, "dave", SlapdProcess.Password("dave")))
        {
        }
        await using (await RawPop3Client.LoginAsync(fixture.Pop3Port, "erin", SlapdProcess.Password("erin")))
        {
        }
    });

    private async Task<string> FailedLoginAsync(string user, string password)
    {
        await using var client = await RawPop3Client.ConnectAsync(fixture.Pop3Port);
        await client.ExpectOkAsync("USER " + user);
        return await client.CommandAsync("PASS " + password);
    }
}
