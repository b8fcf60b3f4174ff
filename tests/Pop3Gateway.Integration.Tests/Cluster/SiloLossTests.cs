using System.Diagnostics;
using Pop3Gateway.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Pop3Gateway.Integration.Tests.Cluster;

/// <summary>
/// The only silo is killed with SIGKILL under a front-end with live POP3 and LMTP sessions: the command in
/// flight that needs the cluster (NOOP here) gets <c>-ERR [SYS/TEMP]</c> and the session ends, LMTP answers 451 4.3.0, the front-end stops being
/// ready; once the silo is back the front-end serves again, no mark of a dead session was committed and no
/// accepted message was lost.
/// </summary>
public sealed class SiloLossTests : IAsyncLifetime
{
    /// <summary>The front-end's grain-call timeout is 15 s; a silo's death usually shows at once.</summary>
    private static readonly TimeSpan FailsWithin = TimeSpan.FromSeconds(30);

    /// <summary>From the restarted silo being ready to the front-end serving again: it retries every 2 s.</summary>
    private static readonly TimeSpan ServesAgainWithin = TimeSpan.FromSeconds(30);

    private readonly ServerProcess _silo = RoleProcesses.Silo();
    private readonly ServerFixture _frontend;
    private readonly ITestOutputHelper _output;

    public SiloLossTests(ITestOutputHelper output)
    {
        _output = output;
        // No lease renewal during the test: the idle session must notice the new activation on its own next command.
        _frontend = new ServerFixture(RoleProcesses.Frontend(_silo, new Dictionary<string, string>
        {
            ["POP3GW__Sessions__SessionLease"] = "00:30:00",
        }));
    }

    public async Task InitializeAsync()
    {
        // xunit does not call DisposeAsync when this fails: stop what did start.
        try
        {
            await _silo.StartAsync();
            await _frontend.InitializeAsync();
            await RoleProcesses.WaitForReadinessAsync(_frontend.Server, ready: true, TimeSpan.FromSeconds(60));
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        await _frontend.DisposeAsync();
        await _silo.DisposeAsync();
    }

    [Fact]
    public Task KillSilo_MidSession_SysTempNothingDeletedServesAfterRestart() => RolesFixture.GuardAsync(async () =>
    {
        var busy = await _frontend.CreateMailboxAsync("lossbusy", [TestMessages.Plain("b1"), TestMessages.Plain("b2"), TestMessages.Dots()]);
        var idle = await _frontend.CreateMailboxAsync("lossidle", [TestMessages.Plain("i1"), TestMessages.Plain("i2")]);
        var accepted = await LmtpDeliverAsync(busy.Login, "accepted before the loss");
        var busySession = await RawPop3Client.LoginAsync(_frontend.Pop3Port, busy.Login, busy.Password);
        await busySession.ExpectOkAsync("DELE 1");
        await busySession.ExpectOkAsync("DELE 2");
        var idleSession = await RawPop3Client.LoginAsync(_frontend.Pop3Port, idle.Login, idle.Password);
        await idleSession.ExpectOkAsync("DELE 1");
        var lmtp = await RawLmtpClient.ConnectAsync(_frontend.Server.LmtpPort);
        await lmtp.SendAsync($"LHLO mta.example\r\nMAIL FROM:<>\r\nRCPT TO:<{busy.Login}>\r\nDATA\r\n");
        await lmtp.ReadReplyAsync();
        await lmtp.ReadLineAsync();
        Assert.StartsWith("250 2.1.5", await lmtp.ReadLineAsync());
        Assert.StartsWith("354", await lmtp.ReadLineAsync());

        await _silo.KillAsync();
        var watch = Stopwatch.StartNew();
        // STAT, LIST, UIDL and RETR are answered from the login's snapshot; NOOP and QUIT go to the mailbox grain.
        var stat = await busySession.CommandAsync("NOOP");
        var statTook = watch.Elapsed;
        var busyClosed = await busySession.IsClosedByServerAsync();
        watch.Restart();
        await lmtp.SendAsync("Subject: during the loss\r\n\r\nnot accepted\r\n.\r\n");
        var data = await lmtp.ReadLineAsync();
        var dataTook = watch.Elapsed;
        var notReadyAfter = await RoleProcesses.WaitForReadinessAsync(_frontend.Server, ready: false, FailsWithin);

        await _silo.StartAsync();
        var readyAfter = await RoleProcesses.WaitForReadinessAsync(_frontend.Server, ready: true, ServesAgainWithin);
        // The idle session's QUIT commits nothing: ended by the front-end's fence, or refused by the new activation.
        var stale = await idleSession.CommandAsync("QUIT");
        var staleClosed = await idleSession.IsClosedByServerAsync();
        watch.Restart();
        var again = await RawPop3Client.LoginSoonAsync(_frontend.Pop3Port, busy.Login, busy.Password, ServesAgainWithin);
        var loginTook = watch.Elapsed;
        string busyUidls;
        await using (again)
        {
            await again.ExpectOkAsync("UIDL");
            busyUidls = System.Text.Encoding.ASCII.GetString(await again.ReadMultilineAsync());
            await again.ExpectOkAsync("DELE 1");
            Assert.StartsWith("+OK Bye, 1 messages deleted", await again.CommandAsync("QUIT"));
        }
        string idleStat;
        await using (var idleAgain = await RawPop3Client.LoginSoonAsync(_frontend.Pop3Port, idle.Login, idle.Password, ServesAgainWithin))
        {
            idleStat = await idleAgain.CommandAsync("STAT");
            await idleAgain.ExpectOkAsync("QUIT");
        }
        await busySession.DisposeAsync();
        await idleSession.DisposeAsync();
        await lmtp.DisposeAsync();
        _output.WriteLine($"storage {(StorageProfile.IsAzure ? "Azure" : "Embedded")}: NOOP after SIGKILL answered in {statTook.TotalSeconds:F1} s ('{stat}'); " +
            $"end of DATA in {dataTook.TotalSeconds:F1} s ('{data.Trim()}'); front-end not ready after {notReadyAfter.TotalSeconds:F1} s; " +
            $"ready {readyAfter.TotalSeconds:F1} s after the restarted silo; login {loginTook.TotalSeconds:F1} s after that; stale session got '{stale}'");

        Assert.StartsWith("-ERR [SYS/TEMP]", stat);
        Assert.True(statTook < FailsWithin, $"NOOP took {statTook.TotalSeconds:F1} s");
        Assert.True(busyClosed, "the session whose command failed must be ended by the server");
        Assert.StartsWith("451 4.3.0", data);
        Assert.True(dataTook < FailsWithin, $"the end of DATA took {dataTook.TotalSeconds:F1} s");
        Assert.True(notReadyAfter < FailsWithin);
        // Either the front-end fenced itself while the cluster was gone longer than Sessions:FrontendLease minus a
        // beat (it ended the idle session), or the QUIT met the new activation, which knows no such session.
        Assert.True(stale.StartsWith("-ERR [IN-USE]", StringComparison.Ordinal)
            || stale == "-ERR [SYS/TEMP] Mailbox unavailable; session ended, nothing was deleted.", $"stale session got '{stale}'");
        Assert.True(staleClosed, "the session of the dead activation must be ended");
        Assert.True(readyAfter < ServesAgainWithin);
        Assert.True(loginTook < ServesAgainWithin);
        // Nothing deleted, the accepted LMTP message kept, the refused one absent: 3 + 1 messages.
        var lines = busyUidls.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([.. busy.Uidls, accepted], lines.Select(l => l.Split(' ')[1]).ToArray());
        Assert.StartsWith("+OK 2 ", idleStat);
    }, _frontend.Server, _silo);

    /// <summary>Delivers one message over LMTP; returns the UIDL from the 250 reply.</summary>
    private async Task<string> LmtpDeliverAsync(string login, string subject)
    {
        await using var lmtp = await RawLmtpClient.ConnectAsync(_frontend.Server.LmtpPort);
        await lmtp.SendAsync($"LHLO mta.example\r\nMAIL FROM:<>\r\nRCPT TO:<{login}>\r\nDATA\r\n");
        await lmtp.ReadReplyAsync();
        await lmtp.ReadLineAsync();
        await lmtp.ReadLineAsync();
        Assert.StartsWith("354", await lmtp.ReadLineAsync());
        await lmtp.SendAsync($"Subject: {subject}\r\n\r\nbody\r\n.\r\n");
        var reply = await lmtp.ReadLineAsync();
        Assert.StartsWith("250 2.0.0", reply);
        return reply.Split(" delivered as ")[1].Trim();
    }
}
