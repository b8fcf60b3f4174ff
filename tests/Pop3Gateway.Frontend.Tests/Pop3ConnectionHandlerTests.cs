using Microsoft.Extensions.Options;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Frontends;
using Pop3Gateway.Frontend.Sessions;

namespace Pop3Gateway.Frontend.Tests;

[Collection(FrontendCollection.Name)]
public sealed class Pop3ConnectionHandlerTests(FrontendFixture fixture)
{
    private const string Password = "correct horse";

    private static string NewLogin() => "u" + Guid.NewGuid().ToString("N")[..12];

    private Task<PipeConnection> LoginAsync(
        string login, Action<Frontend.Pop3.Pop3ServerOptions>? configure = null, TimeProvider? time = null, FrontendSessions? sessions = null) =>
        fixture.LoginAsync(login, Password, configure, time, sessions);

    /// <summary>A session logged in to a mailbox of one message, that message marked, the idle clock waiting.</summary>
    private async Task<PipeConnection> OneMessageMarkedAsync(string login, TimeSpan idleTimeout, ObservedTimeProvider time)
    {
        await fixture.CreateMailboxAsync(login, Password, "Subject: keep\r\n\r\nk\r\n");
        var connection = await LoginAsync(login, o => o.IdleTimeout = idleTimeout, time);
        await connection.SendAsync("DELE 1\r\n");
        Assert.StartsWith("+OK", await connection.ReadLineAsync());
        await time.WaitForTimerStartsAsync(idleTimeout, 2);
        return connection;
    }

    [Fact]
    public async Task Retr_MessageWithDotLines_IsStuffedAndExact()
    {
        var login = NewLogin();
        const string message = "Subject: dots\r\n\r\n.leading dot\r\n.\r\nlast\r\n";
        await fixture.CreateMailboxAsync(login, Password, message);
        await using var connection = await LoginAsync(login);

        await connection.SendAsync("RETR 1\r\n");
        var reply = await connection.ReadMultiLineAsync();

        var firstLineEnd = reply.IndexOf("\r\n", StringComparison.Ordinal);
        Assert.StartsWith("+OK", reply);
        Assert.Equal("Subject: dots\r\n\r\n..leading dot\r\n..\r\nlast\r\n.\r\n", reply[(firstLineEnd + 2)..]);
    }

    [Fact]
    public async Task Top_ZeroLines_SendsHeaderAndBlankLineOnly()
    {
        var login = NewLogin();
        await fixture.CreateMailboxAsync(login, Password, "A: 1\r\nB: 2\r\n\r\nbody 1\r\nbody 2\r\n");
        await using var connection = await LoginAsync(login);

        await connection.SendAsync("TOP 1 0\r\n");
        var reply = await connection.ReadMultiLineAsync();

        Assert.EndsWith("\r\nA: 1\r\nB: 2\r\n\r\n.\r\n", reply);
        Assert.DoesNotContain("body", reply);
    }

    [Fact]
    public async Task PipelinedBatch_IsAnsweredInOrder()
    {
        var login = NewLogin();
        await fixture.CreateMailboxAsync(login, Password, "Subject: a\r\n\r\na\r\n", "Subject: b\r\n\r\nbb\r\n");
        await using var connection = new PipeConnection(fixture.Handler());
        await connection.ReadLineAsync();

        await connection.SendAsync($"USER {login}\r\nPASS {Password}\r\nSTAT\r\nLIST 2\r\nNOOP\r\nQUIT\r\n");
        var all = await connection.ReadToEndAsync();
        var lines = all.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.True(lines.Length == 6, all);
        Assert.All(lines, l => Assert.StartsWith("+OK", l));
        Assert.Equal("+OK 2 " + (17 + 18), lines[2]);
        Assert.Equal("+OK 2 18", lines[3]);
    }

    [Fact]
    public async Task LineOverLimit_GetsErrAndTheSessionGoesOn()
    {
        await using var connection = new PipeConnection(fixture.Handler(o => o.MaxLineLength = 255));
        await connection.ReadLineAsync();

        await connection.SendAsync("NOOP " + new string('x', 100_000) + "\r\nCAPA\r\n");

        Assert.StartsWith("-ERR", await connection.ReadLineAsync());
        Assert.StartsWith("+OK", await connection.ReadLineAsync());
        var capa = await connection.ReadUntilAsync("\r\n.\r\n");
        Assert.Contains("UIDL", capa);
    }

    [Fact]
    public async Task BareLineFeeds_AreAccepted()
    {
        var login = NewLogin();
        await fixture.CreateMailboxAsync(login, Password, "Subject: x\r\n\r\nx\r\n");
        await using var connection = new PipeConnection(fixture.Handler());
        await connection.ReadLineAsync();

        await connection.SendAsync($"USER {login}\nPASS {Password}\nSTAT\n");

        Assert.StartsWith("+OK", await connection.ReadLineAsync());
        Assert.StartsWith("+OK", await connection.ReadLineAsync());
        Assert.StartsWith("+OK 1 ", await connection.ReadLineAsync());
    }

    [Fact]
    public async Task DeleThenQuit_CommitsTheDeletion()
    {
        var login = NewLogin();
        await fixture.CreateMailboxAsync(login, Password, "Subject: 1\r\n\r\n1\r\n", "Subject: 2\r\n\r\n2\r\n");
        await using (var connection = await LoginAsync(login))
        {
            await connection.SendAsync("DELE 1\r\nQUIT\r\n");
            var rest = await connection.ReadToEndAsync();
            Assert.DoesNotContain("-ERR", rest);
        }

        var info = await fixture.Grains.GetGrain<IMailboxGrain>(login).Describe();
        Assert.Equal(1, info.MessageCount);
        Assert.Null(info.Lock);
    }

    [Fact]
    public async Task DroppedDuringRetr_DeletesNothingAndReleasesTheLock()
    {
        var login = NewLogin();
        var big = "Subject: big\r\n\r\n" + string.Concat(Enumerable.Repeat(new string('y', 998) + "\r\n", 2_000));
        await fixture.CreateMailboxAsync(login, Password, big, "Subject: small\r\n\r\ns\r\n");
        var connection = await LoginAsync(login);
        await connection.SendAsync("DELE 2\r\n");
        Assert.StartsWith("+OK", await connection.ReadLineAsync());

        await connection.SendAsync("RETR 1\r\n");
        await connection.ReadUntilAsync("yyyy");
        await connection.DropAsync();
        await connection.Completion.WaitAsync(TimeSpan.FromSeconds(20));

        var info = await fixture.Grains.GetGrain<IMailboxGrain>(login).Describe();
        Assert.Equal(2, info.MessageCount);
        Assert.Null(info.Lock);
    }

    [Fact]
    public async Task LoginTimeout_SystemClock_ClosesTheConnection()
    {
        // The one check on the real clock, kept short: the timeouts reach the timer through TimeProvider.System too.
        await using var connection = new PipeConnection(fixture.Handler(o => o.LoginTimeout = TimeSpan.FromMilliseconds(200)));
        await connection.ReadLineAsync();

        var rest = await connection.ReadToEndAsync();

        Assert.Equal("-ERR Autologout; idle for too long. Nothing was deleted.\r\n", rest);
    }

    [Fact]
    public async Task LoginTimeout_CommandsBeforeTheDeadline_ClosedAtTheDeadlineFromAccept()
    {
        var time = new ObservedTimeProvider();
        var timeout = TimeSpan.FromMinutes(3);
        var step = TimeSpan.FromMinutes(1);
        await using var connection = new PipeConnection(fixture.Handler(o => o.LoginTimeout = timeout, time: time));
        await connection.ReadLineAsync();
        await time.WaitForTimerStartsAsync(timeout, 1);

        // A command every minute: each one is answered, none buys more time.
        for (var sent = 1; sent <= 2; sent++)
        {
            time.Advance(step);
            await connection.SendAsync("CAPA\r\n");
            await connection.ReadMultiLineAsync();
            await time.WaitForTimerStartsAsync(timeout - sent * step, 1);
        }
        time.Advance(step);
        var rest = await connection.ReadToEndAsync();

        Assert.Equal("-ERR Autologout; idle for too long. Nothing was deleted.\r\n", rest);
    }

    [Fact]
    public async Task LoginTimeout_PassedWhileABatchWaits_RestOfTheBatchNotRun()
    {
        var login = NewLogin();
        await fixture.CreateMailboxAsync(login, Password);
        var time = new ObservedTimeProvider();
        var timeout = TimeSpan.FromMinutes(3);
        await using var connection = new PipeConnection(fixture.Handler(o => o.LoginTimeout = timeout, time: time));
        await connection.ReadLineAsync();
        await time.WaitForTimerStartsAsync(timeout, 1);

        time.Advance(timeout);
        await connection.SendAsync($"USER {login}\r\nPASS {Password}\r\n");
        var rest = await connection.ReadToEndAsync();

        Assert.Equal("-ERR Autologout; idle for too long. Nothing was deleted.\r\n", rest);
        Assert.Null((await fixture.Grains.GetGrain<IMailboxGrain>(login).Describe()).Lock);
    }

    [Fact]
    public async Task RepliesNeverRead_IdleTimeout_ConnectionEndsAndTheMailboxOpensAgain()
    {
        var login = NewLogin();
        var time = new ObservedTimeProvider();
        var timeout = TimeSpan.FromMinutes(10);
        await using var connection = await OneMessageMarkedAsync(login, timeout, time);

        // One write of 60 KB of CAPA, under the pipe's threshold; its replies are 25 times that and are never read.
        await connection.SendAsync(string.Concat(Enumerable.Repeat("CAPA\r\n", 10_000)));
        await time.WaitForTimerStartsAsync(timeout, 3);
        Assert.False(connection.Completion.IsCompleted);
        Assert.NotNull((await fixture.Grains.GetGrain<IMailboxGrain>(login).Describe()).Lock);
        time.Advance(timeout);
        await connection.Completion.WaitAsync(TimeSpan.FromSeconds(20));

        var info = await fixture.Grains.GetGrain<IMailboxGrain>(login).Describe();
        Assert.Null(info.Lock);
        Assert.Equal(1, info.MessageCount);
        await using var again = await LoginAsync(login);
        await again.SendAsync("STAT\r\n");
        Assert.StartsWith("+OK 1 ", await again.ReadLineAsync());
    }

    [Fact]
    public async Task IdleTimeoutAfterDele_DeletesNothing()
    {
        var login = NewLogin();
        var time = new ObservedTimeProvider();
        var timeout = TimeSpan.FromMinutes(10);
        await using var connection = await OneMessageMarkedAsync(login, timeout, time);

        time.Advance(timeout);
        var rest = await connection.ReadToEndAsync();
        await connection.Completion.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.StartsWith("-ERR", rest);
        var info = await fixture.Grains.GetGrain<IMailboxGrain>(login).Describe();
        Assert.Equal(1, info.MessageCount);
        Assert.Null(info.Lock);
    }

    [Fact]
    public async Task IdleTimeout_ClientActiveLongerThanTheTimeout_StaysConnected()
    {
        var login = NewLogin();
        var time = new ObservedTimeProvider();
        var timeout = TimeSpan.FromMinutes(10);
        await fixture.CreateMailboxAsync(login, Password, "Subject: busy\r\n\r\nb\r\n");
        await using var connection = await LoginAsync(login, o => o.IdleTimeout = timeout, time);

        // Commands inside the timeout, for three times its length: the clock starts over at each one.
        for (var started = 1; started <= 6; started++)
        {
            await time.WaitForTimerStartsAsync(timeout, started);
            time.Advance(timeout / 2);
            await connection.SendAsync("STAT\r\n");
            Assert.StartsWith("+OK 1 ", await connection.ReadLineAsync());
        }

        await connection.SendAsync("QUIT\r\n");
        Assert.StartsWith("+OK", await connection.ReadLineAsync());
    }

    [Fact]
    public async Task SecondLogin_IsRefusedInUse_UntilTheFirstLeaves()
    {
        var login = NewLogin();
        await fixture.CreateMailboxAsync(login, Password, "Subject: x\r\n\r\nx\r\n");
        var first = await LoginAsync(login);
        await using var second = new PipeConnection(fixture.Handler());
        await second.ReadLineAsync();

        await second.SendAsync($"USER {login}\r\nPASS {Password}\r\n");
        await second.ReadLineAsync();
        Assert.StartsWith("-ERR [IN-USE]", await second.ReadLineAsync());

        await first.DropAsync();
        await first.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        await second.SendAsync($"USER {login}\r\nPASS {Password}\r\n");
        await second.ReadLineAsync();
        Assert.StartsWith("+OK", await second.ReadLineAsync());
    }

    [Fact]
    public async Task Takeover_EndsTheOldConnectionAndDiscardsItsMarks()
    {
        var login = NewLogin();
        await fixture.CreateMailboxAsync(login, Password, "Subject: x\r\n\r\nx\r\n");
        void Takeover(Frontend.Pop3.Pop3ServerOptions o) => o.LockPolicy = LockPolicy.Takeover;
        // A renewal every 100 ms: the old session learns of the takeover from its next one.
        var sessions = new FrontendSessions(Options.Create(new SessionLivenessOptions { SessionLease = TimeSpan.FromMilliseconds(300) }));
        await using var old = await LoginAsync(login, Takeover, sessions: sessions);
        await old.SendAsync("DELE 1\r\n");
        Assert.StartsWith("+OK", await old.ReadLineAsync());

        await using var newer = await LoginAsync(login, Takeover, sessions: sessions);
        await old.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        await newer.SendAsync("STAT\r\nQUIT\r\n");

        Assert.StartsWith("+OK 1 ", await newer.ReadLineAsync());
        Assert.StartsWith("+OK", await newer.ReadLineAsync());
        Assert.Equal(1, (await fixture.Grains.GetGrain<IMailboxGrain>(login).Describe()).MessageCount);
    }

    [Fact]
    public async Task BodyMissingFromStore_AnswersSysTempAndTheSessionGoesOn()
    {
        var login = NewLogin();
        await fixture.CreateMailboxAsync(login, Password, "Subject: gone\r\n\r\ng\r\n");
        foreach (var file in Directory.EnumerateFiles(Path.Combine(fixture.DataDirectory, "bodies", login)))
        {
            File.Delete(file);
        }
        await using var connection = await LoginAsync(login);

        await connection.SendAsync("RETR 1\r\nNOOP\r\n");

        Assert.StartsWith("-ERR [SYS/TEMP]", await connection.ReadLineAsync());
        Assert.StartsWith("+OK", await connection.ReadLineAsync());
    }
}
