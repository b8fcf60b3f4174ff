using Microsoft.Extensions.Options;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Frontends;
using Pop3Gateway.Frontend.Sessions;

namespace Pop3Gateway.Frontend.Tests;

/// <summary>Sessions ended from outside their connection: by an operator (kick) or by the front-end's fence.</summary>
[Collection(FrontendCollection.Name)]
public sealed class FrontendSessionsTests(FrontendFixture fixture)
{
    private const string Password = "correct horse";

    private readonly FrontendSessions _sessions = new(Options.Create(new SessionLivenessOptions()));

    private static string NewLogin() => "u" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task ListSessions_LoggedIn_ListsMailboxLoginAddressAndTls()
    {
        var login = NewLogin();
        await fixture.CreateMailboxAsync(login, Password);
        await using var connection = await LoginAsync(login);

        var session = Assert.Single(await _sessions.ListSessions());

        Assert.Equal((login, login, "127.0.0.1", _sessions.FrontendId, false), (session.Mailbox, session.Login, session.ClientAddress, session.Frontend, session.Tls));
        Assert.Equal(session.SessionId, (await fixture.Grains.GetGrain<IMailboxGrain>(login).Describe()).Lock?.SessionId);
        await connection.SendAsync("QUIT\r\n");
        Assert.StartsWith("+OK", await connection.ReadLineAsync());
        await connection.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Empty(await _sessions.ListSessions());
    }

    [Fact]
    public async Task EndSession_KickedWhileIdle_ClientToldSysTempThenClosedAndNothingDeleted()
    {
        var login = NewLogin();
        await fixture.CreateMailboxAsync(login, Password, "Subject: keep\r\n\r\nk\r\n");
        await using var connection = await LoginAsync(login);
        await connection.SendAsync("DELE 1\r\n");
        Assert.StartsWith("+OK", await connection.ReadLineAsync());
        var session = Assert.Single(await _sessions.ListSessions());

        Assert.Equal(session.SessionId, (await fixture.Grains.GetGrain<IMailboxGrain>(login).Kick())?.SessionId);
        Assert.True(await _sessions.EndSession(session.SessionId));

        Assert.Equal("-ERR [SYS/TEMP] Session ended by the administrator; nothing was deleted.\r\n", await connection.ReadToEndAsync());
        await connection.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(1, (await fixture.Grains.GetGrain<IMailboxGrain>(login).Describe()).MessageCount);
        await using var next = await LoginAsync(login);
        await next.SendAsync("STAT\r\n");
        Assert.StartsWith("+OK 1 ", await next.ReadLineAsync());
    }

    [Fact]
    public async Task Fence_OpenSession_EndedWithSysTempAndLoginsRefusedUntilABeat()
    {
        var login = NewLogin();
        await fixture.CreateMailboxAsync(login, Password, "Subject: keep\r\n\r\nk\r\n");
        await using var connection = await LoginAsync(login);
        await connection.SendAsync("DELE 1\r\n");
        Assert.StartsWith("+OK", await connection.ReadLineAsync());

        _sessions.Fence();

        Assert.Equal("-ERR [SYS/TEMP] Mailbox unavailable; session ended, nothing was deleted.\r\n", await connection.ReadToEndAsync());
        await connection.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        await using var refused = new PipeConnection(fixture.Handler(sessions: _sessions));
        Assert.StartsWith("+OK", await refused.ReadLineAsync());
        await refused.SendAsync($"USER {login}\r\nPASS {Password}\r\n");
        Assert.StartsWith("+OK", await refused.ReadLineAsync());
        Assert.StartsWith("-ERR [SYS/TEMP]", await refused.ReadLineAsync());
        Assert.Equal(1, (await fixture.Grains.GetGrain<IMailboxGrain>(login).Describe()).MessageCount);
    }

    private async Task<PipeConnection> LoginAsync(string login)
    {
        var connection = new PipeConnection(fixture.Handler(sessions: _sessions));
        Assert.StartsWith("+OK", await connection.ReadLineAsync());
        await connection.SendAsync($"USER {login}\r\nPASS {Password}\r\n");
        Assert.StartsWith("+OK", await connection.ReadLineAsync());
        Assert.StartsWith("+OK", await connection.ReadLineAsync());
        return connection;
    }
}
