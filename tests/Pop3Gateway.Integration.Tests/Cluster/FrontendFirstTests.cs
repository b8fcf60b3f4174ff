using System.Diagnostics;
using Pop3Gateway.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Pop3Gateway.Integration.Tests.Cluster;

/// <summary>A front-end started before any silo: it comes up live but not ready, and serves once a silo starts.</summary>
public sealed class FrontendFirstTests : IAsyncLifetime
{
    /// <summary>How soon after the silo is ready the front-end must serve: its client retries every 2 s.</summary>
    private static readonly TimeSpan ServeWithin = TimeSpan.FromSeconds(60);

    /// <summary>How soon the management port answers once POP3 greets: both listeners start together.</summary>
    private static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(30);

    private readonly ServerProcess _silo = RoleProcesses.Silo();
    private readonly ServerProcess _frontend;

    private readonly ITestOutputHelper _output;

    public FrontendFirstTests(ITestOutputHelper output)
    {
        _output = output;
        _frontend = RoleProcesses.Frontend(_silo);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _frontend.DisposeAsync();
        await _silo.DisposeAsync();
    }

    [Fact]
    public Task FrontendBeforeSilo_NotReadyThenServes() => RolesFixture.GuardAsync(async () =>
    {
        await _frontend.StartAsync();
        var readyWithoutSilo = await RoleProcesses.AnsweredReadyStatusAsync(_frontend, AnswerWithin);
        string loginWithoutSilo;
        await using (var early = await RawPop3Client.ConnectAsync(_frontend.Pop3Port))
        {
            await early.ExpectOkAsync("USER nobody");
            loginWithoutSilo = await early.CommandAsync("PASS whatever");
        }

        await _silo.StartAsync();
        var readyAfter = await RoleProcesses.WaitForReadinessAsync(_frontend, ready: true, ServeWithin);
        var account = new TestAccount(ServerFixture.UniqueLogin("first"), ServerFixture.NewPassword());
        var created = await _frontend.CliAsync(["account", "add", account.Login, "--password-stdin"], account.Password + "\n");
        var watch = Stopwatch.StartNew();
        var client = await RawPop3Client.LoginSoonAsync(_frontend.Pop3Port, account.Login, account.Password, ServeWithin);
        var took = watch.Elapsed;
        await using (client)
        {
            Assert.StartsWith("+OK 0 0", await client.CommandAsync("STAT"));
            await client.ExpectOkAsync("QUIT");
        }

        _output.WriteLine($"without a silo: ready {readyWithoutSilo}, PASS '{loginWithoutSilo}'; " +
            $"ready {readyAfter.TotalSeconds:F1} s after the silo, first login {took.TotalSeconds:F1} s after that");
        Assert.Equal(503, readyWithoutSilo);
        Assert.True(_frontend.IsRunning, "the front-end must keep running without a cluster");
        Assert.StartsWith("-ERR [SYS/TEMP]", loginWithoutSilo);
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.True(readyAfter < ServeWithin, $"ready {readyAfter.TotalSeconds:F1} s after the silo");
        Assert.True(took < TimeSpan.FromSeconds(30), $"first login took {took.TotalSeconds:F1} s once ready");
    }, _frontend, _silo);
}
