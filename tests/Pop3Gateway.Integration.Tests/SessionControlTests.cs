using System.Text.Json;
using Pop3Gateway.Host.Cli;
using Pop3Gateway.Host.Cli.Sessions;
using Pop3Gateway.Integration.Tests.Infrastructure;
using Pop3Gateway.Testing;

namespace Pop3Gateway.Integration.Tests;

/// <summary><c>who</c> and <c>kick</c> against a running server, through the admin client as the CLI uses it.</summary>
public sealed class SessionControlTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public Task WhoThenKick_LoggedInSession_ListedThenEndedWithSysTempAndNothingDeleted() => fixture.GuardAsync(async () =>
    {
        var mailbox = await fixture.CreateMailboxAsync("kick", [TestMessages.Plain()]);
        await using var client = await RawPop3Client.LoginAsync(fixture.Pop3Port, mailbox.Login, mailbox.Password);
        await client.ExpectOkAsync("DELE 1");
        await using var admin = await AdminClient.ConnectAsync(Overrides(), CancellationToken.None);

        var who = new StringWriter();
        Assert.Equal(CommandLine.Success, await SessionCommands.WhoAsync(admin, mailbox.Login, json: true, who, CancellationToken.None));
        using var listed = JsonDocument.Parse(who.ToString());
        var session = Assert.Single(listed.RootElement.GetProperty("sessions").EnumerateArray());
        Assert.Equal(mailbox.Login, session.GetProperty("mailbox").GetString());
        Assert.Equal(mailbox.Login, session.GetProperty("login").GetString());
        Assert.Equal("127.0.0.1", session.GetProperty("clientAddress").GetString());
        Assert.False(session.GetProperty("tls").GetBoolean());
        Assert.Contains($"/{fixture.Server.ProcessId}/", session.GetProperty("frontend").GetString());
        var sessionId = session.GetProperty("sessionId").GetGuid();

        var kicked = new StringWriter();
        Assert.Equal(CommandLine.Success, await SessionCommands.KickAsync(admin, mailbox.Login, kicked, CancellationToken.None));
        Assert.StartsWith($"kicked session {sessionId} of 127.0.0.1 ", kicked.ToString());
        Assert.StartsWith("-ERR [SYS/TEMP] ", await client.ReadLineAsync());
        Assert.True(await client.IsClosedByServerAsync());

        await using var next = await RawPop3Client.LoginAsync(fixture.Pop3Port, mailbox.Login, mailbox.Password);
        Assert.StartsWith("+OK 1 ", await next.ExpectOkAsync("STAT"));
        await next.ExpectOkAsync("QUIT");
        var none = await Assert.ThrowsAsync<UsageException>(() => SessionCommands.KickAsync(admin, mailbox.Login, new StringWriter(), CancellationToken.None));
        Assert.Equal($"no session holds mailbox '{mailbox.Login}'", none.Message);
    });

    [Fact]
    public Task WhoAndKickCommands_ThroughTheBinary_ListAndEndTheSession() => fixture.GuardAsync(async () =>
    {
        var mailbox = await fixture.CreateMailboxAsync("kickcli", [TestMessages.Plain()]);
        await using var client = await RawPop3Client.LoginAsync(fixture.Pop3Port, mailbox.Login, mailbox.Password);

        var who = await fixture.CliOkAsync(null, "who", mailbox.Login, "--json");
        var kick = await fixture.CliOkAsync(null, "kick", mailbox.Login);
        var ended = await client.ReadLineAsync();
        var again = await fixture.CliAsync("kick", mailbox.Login);

        using var listed = JsonDocument.Parse(who);
        Assert.Equal(mailbox.Login, Assert.Single(listed.RootElement.GetProperty("sessions").EnumerateArray()).GetProperty("mailbox").GetString());
        Assert.StartsWith("kicked session ", kick);
        Assert.StartsWith("-ERR [SYS/TEMP] ", ended);
        Assert.Equal(CommandLine.UserError, again.ExitCode);
        Assert.Equal($"pop3gw: no session holds mailbox '{mailbox.Login}'", again.Stderr.Trim());
    });

    /// <summary>The server's <c>POP3GW__…</c> settings as configuration keys, as the CLI reads them from its environment.</summary>
    private Dictionary<string, string?> Overrides() =>
        fixture.Server.Environment.ToDictionary(e => e.Key["POP3GW__".Length..].Replace("__", ":", StringComparison.Ordinal), e => (string?)e.Value);
}
