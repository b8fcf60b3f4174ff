using System.Diagnostics;
using Pop3Gateway.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Pop3Gateway.Integration.Tests.Cluster;

/// <summary>
/// SIGTERM to a front-end with live sessions: it stops being ready and accepting at once, a session that
/// QUITs inside the drain commits, one that idles is closed at the deadline with nothing deleted and its
/// mailbox opens at once through another front-end; the process exits cleanly, and so does the silo after it.
/// </summary>
public sealed class DrainTests : IAsyncLifetime
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    private readonly ServerProcess _silo = RoleProcesses.Silo();
    private readonly ServerFixture _draining;
    private readonly ServerProcess _other;

    private readonly ITestOutputHelper _output;

    public DrainTests(ITestOutputHelper output)
    {
        _output = output;
        _draining = new ServerFixture(RoleProcesses.Frontend(_silo, new Dictionary<string, string>
        {
            ["POP3GW__Shutdown__DrainTimeout"] = DrainTimeout.ToString(),
        }));
        _other = RoleProcesses.Frontend(_silo);
    }

    public async Task InitializeAsync()
    {
        // xunit does not call DisposeAsync when this fails: stop what did start.
        try
        {
            await _silo.StartAsync();
            await Task.WhenAll(_draining.InitializeAsync(), _other.StartAsync());
            await RoleProcesses.WaitForReadinessAsync(_draining.Server, ready: true, TimeSpan.FromSeconds(60));
            await RoleProcesses.WaitForReadinessAsync(_other, ready: true, TimeSpan.FromSeconds(60));
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        await _draining.DisposeAsync();
        await _other.DisposeAsync();
        await _silo.DisposeAsync();
    }

    [Fact]
    public Task Sigterm_QuitInsideWindowCommits_IdleClosedAtDeadlineUnlocked() => RolesFixture.GuardAsync(async () =>
    {
        var quitting = await _draining.CreateMailboxAsync("drainquit", [TestMessages.Plain("q1"), TestMessages.Plain("q2")]);
        var lingering = await _draining.CreateMailboxAsync("drainidle", [TestMessages.Plain("l1"), TestMessages.Plain("l2"), TestMessages.Dots()]);
        var quitter = await RawPop3Client.LoginAsync(_draining.Pop3Port, quitting.Login, quitting.Password);
        await quitter.ExpectOkAsync("DELE 1");
        var idler = await RawPop3Client.LoginAsync(_draining.Pop3Port, lingering.Login, lingering.Password);
        await idler.ExpectOkAsync("DELE 1");
        await idler.ExpectOkAsync("DELE 2");
        var lmtp = await RawLmtpClient.ConnectAsync(_draining.Server.LmtpPort);
        await lmtp.SendAsync("LHLO mta.example\r\n");
        await lmtp.ReadReplyAsync();

        _draining.Server.Terminate();
        var watch = Stopwatch.StartNew();
        var notReady = await RoleProcesses.WaitForReadinessAsync(_draining.Server, ready: false, TimeSpan.FromSeconds(10));
        // The draining front-end stops accepting connections (or the wait fails the test).
        await Eventually.UntilAsync("the draining front-end to refuse connections", TimeSpan.FromSeconds(10),
            () => TcpProbe.WhyNotRefusedAsync(_draining.Pop3Port));
        var quit = await quitter.CommandAsync("QUIT");
        var quitAt = watch.Elapsed;
        var closing = await idler.ReadLineAsync();
        var closedAt = watch.Elapsed;
        var idlerClosed = await idler.IsClosedByServerAsync();
        var loginWatch = Stopwatch.StartNew();
        var after = await RawPop3Client.LoginSoonAsync(_other.Pop3Port, lingering.Login, lingering.Password, TimeSpan.FromSeconds(30));
        var loginTook = loginWatch.Elapsed;
        string lingeringStat;
        await using (after)
        {
            lingeringStat = await after.CommandAsync("STAT");
            await after.ExpectOkAsync("QUIT");
        }
        string quittingStat;
        await using (var check = await RawPop3Client.LoginAsync(_other.Pop3Port, quitting.Login, quitting.Password))
        {
            quittingStat = await check.CommandAsync("STAT");
            await check.ExpectOkAsync("QUIT");
        }
        var lmtpClosing = await lmtp.ReadLineAsync();
        var exitCode = await _draining.Server.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var siloExit = await _silo.StopAsync();
        await quitter.DisposeAsync();
        await idler.DisposeAsync();
        await lmtp.DisposeAsync();
        _output.WriteLine($"storage {(StorageProfile.IsAzure ? "Azure" : "Embedded")}, drain {DrainTimeout.TotalSeconds} s: not ready after {notReady.TotalSeconds:F1} s; " +
            $"QUIT '{quit}' at {quitAt.TotalSeconds:F1} s; idle session closed at {closedAt.TotalSeconds:F1} s; " +
            $"login elsewhere {loginTook.TotalSeconds:F1} s; front-end exit {exitCode}, silo exit {siloExit}");

        Assert.True(notReady < TimeSpan.FromSeconds(10));
        Assert.StartsWith("+OK Bye, 1 messages deleted", quit);
        Assert.True(quitAt < DrainTimeout, $"QUIT answered {quitAt.TotalSeconds:F1} s after SIGTERM");
        Assert.Equal("-ERR [SYS/TEMP] server shutting down, nothing was deleted.", closing);
        Assert.True(closedAt > DrainTimeout - TimeSpan.FromSeconds(2) && closedAt < DrainTimeout + TimeSpan.FromSeconds(20),
            $"the idle session was closed {closedAt.TotalSeconds:F1} s after SIGTERM; the drain is {DrainTimeout.TotalSeconds} s");
        Assert.True(idlerClosed);
        // Far below the 90 s a lease left behind would hold the mailbox.
        Assert.True(loginTook < TimeSpan.FromSeconds(20), $"logging in elsewhere took {loginTook.TotalSeconds:F1} s: the lease was not released");
        Assert.StartsWith("+OK 3 ", lingeringStat);
        Assert.StartsWith("+OK 1 ", quittingStat);
        Assert.StartsWith("421 4.3.2", lmtpClosing);
        Assert.Equal(0, exitCode);
        Assert.Equal(0, siloExit);
    }, _draining.Server, _other, _silo);
}
