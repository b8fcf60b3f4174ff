using Microsoft.Extensions.Options;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Frontends;
using Pop3Gateway.Frontend.Sessions;

namespace Pop3Gateway.Frontend.Tests;

/// <summary>Sessions ended from outside their connection: by an operator (kick) or by the front-end's fence.</summary>
[Collection(FrontendCollection.Name)]
public sealed class FrontendSessionsTests(FrontendFixture fixture)
{
    private const string Password = "kick me";

    private readonly FrontendSessions _sessions = new(Options.Create(new SessionLivenessOptions()));

    private readonly string _login = "k" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task ListSessions_LoggedIn_ListsMailboxLoginAddressAndTls()
    {
        await fixture.CreateMailboxAsync(_login, Password);
        await using var connection = await LoginAsync();

        var session = Assert.Single(await _sessions.ListSessions());

        Assert.Equal((_login, _login, "127.0.0.1", _sessions.FrontendId, false), (session.Mailbox, session.Login, session.ClientAddress, session.Frontend, session.Tls));
        Assert.Equal(session.SessionId, (await fixture.Grains.GetGrain<IMailboxGrain>(_login).Describe()).Lock?.SessionId);
        await connection.SendAsync("QUIT\r\n");
        Assert.StartsWith("+OK", await connection.ReadLineAsync());
        await connection.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Empty(await _sessions.ListSessions());
    }

    [Fact]
    public async Task EndSession_KickedWhileIdle_ClientToldSysTempThenClosedAndNothingDeleted()
    {
        await using var connection = await OneMessageMarkedAsync();
        var session = Assert.Single(await _sessions.ListSessions());

        Assert.Equal(session.SessionId, (await fixture.Grains.GetGrain<IMailboxGrain>(_login).Kick())?.SessionId);
        Assert.True(await _sessions.EndSession(session.SessionId));

        Assert.Equal("-ERR [SYS/TEMP] Session ended by the administrator; nothing was deleted.\r\n", await connection.ReadToEndAsync());
        await connection.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(1, (await fixture.Grains.GetGrain<IMailboxGrain>(_login).Describe()).MessageCount);
        await using var next = await LoginAsync();
        await next.SendAsync("STAT\r\n");
        Assert.StartsWith("+OK 1 ", await next.ReadLineAsync());
    }

    [Fact]
    public async Task Fence_OpenSession_EndedWithSysTempAndLoginsRefusedUntilABeat()
    {
        await using var connection = await OneMessageMarkedAsync();

        _sessions.Fence();

        Assert.Equal("-ERR [SYS/TEMP] Mailbox unavailable; session ended, nothing was deleted.\r\n", await connection.ReadToEndAsync());
        await connection.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        await using var refused = new PipeConnection(fixture.Handler(sessions: _sessions));
        Assert.StartsWith("+OK", await refused.ReadLineAsync());
        await refused.SendAsync($"USER {_login}\r\nPASS {Password}\r\n");
        Assert.StartsWith("+OK", await refused.ReadLineAsync());
        Assert.StartsWith("-ERR [SYS/TEMP]", await refused.ReadLineAsync());
        Assert.Equal(1, (await fixture.Grains.GetGrain<IMailboxGrain>(_login).Describe()).MessageCount);
    }

    [Fact]
    public async Task HoldsSession_LoginUnderWayThenOpenThenQuit_TrueUntilQuit()
    {
        var pending = Guid.NewGuid();
        using (_sessions.Opening(pending))
        {
            Assert.True(await _sessions.HoldsSession(pending));
        }
        Assert.False(await _sessions.HoldsSession(pending));
        await fixture.CreateMailboxAsync(_login, Password);
        await using var connection = await LoginAsync();
        var session = Assert.Single(await _sessions.ListSessions());

        Assert.True(await _sessions.HoldsSession(session.SessionId));
        await connection.SendAsync("QUIT\r\n");
        Assert.StartsWith("+OK", await connection.ReadLineAsync());
        await connection.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(await _sessions.HoldsSession(session.SessionId));
    }

    [Fact]
    public async Task Login_LeaseOrphanedByAGivenUpLoginOfThisFrontend_TakenOverAtOnce()
    {
        await fixture.CreateMailboxAsync(_login, Password, "Subject: keep\r\n\r\nk\r\n");
        await fixture.Grains.GetGrain<IFrontendGrain>(_sessions.FrontendId).Beat(fixture.Grains.CreateObjectReference<IFrontendObserver>(_sessions));
        // What a login this front-end gave up on leaves behind: a lease naming it, granted after the caller stopped waiting.
        var orphan = new SessionLease(Guid.NewGuid(), "127.0.0.1 via gone", _sessions.FrontendId);
        Assert.Equal(MailboxStatus.Ok, (await fixture.Grains.GetGrain<IMailboxGrain>(_login).OpenSession(orphan, LockPolicy.Exclusive)).Status);

        await using var connection = await LoginAsync();
        await connection.SendAsync("STAT\r\n");

        Assert.StartsWith("+OK 1 ", await connection.ReadLineAsync());
        Assert.NotEqual(orphan.SessionId, (await fixture.Grains.GetGrain<IMailboxGrain>(_login).Describe()).Lock?.SessionId);
    }

    private Task<PipeConnection> LoginAsync() => fixture.LoginAsync(_login, Password, sessions: _sessions);

    /// <summary>A session logged in to a mailbox of one message, that message marked.</summary>
    private async Task<PipeConnection> OneMessageMarkedAsync()
    {
        await fixture.CreateMailboxAsync(_login, Password, "Subject: keep\r\n\r\nk\r\n");
        var connection = await LoginAsync();
        await connection.SendAsync("DELE 1\r\n");
        Assert.StartsWith("+OK", await connection.ReadLineAsync());
        return connection;
    }
}
