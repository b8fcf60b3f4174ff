using System.Text.Json;
using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests;

/// <summary>The management port of a started server: probes, Prometheus text after a scripted session, the operator page.</summary>
public sealed class ManagementTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://127.0.0.1:{fixture.Server.ManagementPort}/"), Timeout = TimeSpan.FromSeconds(30) };

    [Theory]
    [InlineData("health/live", "live")]
    [InlineData("health/startup", "started")]
    [InlineData("health/ready", "ready")]
    public Task Probe_RunningServer_Answers200(string path, string body) => fixture.GuardAsync(async () =>
    {
        var response = await _http.GetAsync(path);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(body, (await response.Content.ReadAsStringAsync()).Trim());
    });

    [Fact]
    public Task Metrics_AfterScriptedSession_CountExactly() => fixture.GuardAsync(async () =>
    {
        var mailbox = await fixture.CreateMailboxAsync("metrics", [TestMessages.Plain(), TestMessages.Plain()]);
        var before = await ScrapeAsync();
        await fixture.DeliverAsync(mailbox.Login, [TestMessages.Plain("late")]);

        await using (var client = await RawPop3Client.LoginAsync(fixture.Pop3Port, mailbox.Login, mailbox.Password))
        {
            await client.ExpectOkAsync("STAT");
            await client.ExpectOkAsync("RETR 1");
            await client.ReadMultilineAsync();
            await client.ExpectErrAsync("RETR 9");
            await client.ExpectOkAsync("DELE 2");
            await client.ExpectOkAsync("QUIT");
        }
        await using (var wrong = await RawPop3Client.ConnectAsync(fixture.Pop3Port))
        {
            await wrong.ExpectOkAsync($"USER {mailbox.Login}");
            await wrong.ExpectErrAsync("PASS not-the-password");
        }
        var after = await ScrapeUntilAsync(m => Delta(before, m, "pop3_sessions_active") == 0 && Delta(before, m, "pop3_sessions_opened_total") >= 2);

        Assert.Equal(2, Delta(before, after, "pop3_sessions_opened_total"));
        Assert.Equal(0, Delta(before, after, "pop3_sessions_active"));
        Assert.Equal(1, Delta(before, after, "pop3_commands_total", "command=\"RETR\"", "outcome=\"ok\""));
        Assert.Equal(1, Delta(before, after, "pop3_commands_total", "command=\"RETR\"", "outcome=\"err\""));
        Assert.Equal(1, Delta(before, after, "pop3_commands_total", "command=\"DELE\"", "outcome=\"ok\""));
        Assert.Equal(2, Delta(before, after, "pop3_commands_total", "command=\"PASS\""));
        Assert.Equal(1, Delta(before, after, "pop3_logins_total", "outcome=\"ok\""));
        Assert.Equal(1, Delta(before, after, "pop3_logins_total", "outcome=\"auth\""));
        Assert.Equal(9, Delta(before, after, "pop3_command_duration_seconds_count"));
        Assert.True(Delta(before, after, "pop3_bytes_sent_bytes_total") > mailbox.Messages[0].Normalized.Length,
            "bytes sent must include the retrieved message");
        Assert.Equal(1, Delta(before, after, "mailbox_deliveries_total", "outcome=\"Ok\""));
        Assert.Equal(1, Delta(before, after, "mailbox_delivery_duration_seconds_count"));
        Assert.Equal(1, Delta(before, after, "mailbox_commits_total", "outcome=\"Ok\""));
        Assert.Equal(1, Delta(before, after, "mailbox_commit_duration_seconds_count"));
        Assert.Equal(0, Delta(before, after, "mailbox_locks_held"));
        Assert.Contains("orleans_", after.Text);
    });

    [Fact]
    public Task ApiStatus_AfterSession_ReportsTheSameCountsAsMetrics() => fixture.GuardAsync(async () =>
    {
        var mailbox = await fixture.CreateMailboxAsync("status", [TestMessages.Plain()]);
        using var before = JsonDocument.Parse(await _http.GetStringAsync("api/status"));

        await using (var client = await RawPop3Client.LoginAsync(fixture.Pop3Port, mailbox.Login, mailbox.Password))
        {
            await client.ExpectOkAsync("STAT");
            await client.ExpectOkAsync("STAT");
            await client.ExpectOkAsync("QUIT");
        }
        var scrape = await ScrapeUntilAsync(m => m.Sum("pop3_sessions_active") == 0);
        using var after = JsonDocument.Parse(await _http.GetStringAsync("api/status"));

        Assert.Equal(2, StatusTotal(after, "pop3.commands{STAT,ok}") - StatusTotal(before, "pop3.commands{STAT,ok}"));
        Assert.Equal(scrape.Sum("pop3_commands_total", "command=\"STAT\"", "outcome=\"ok\""), StatusTotal(after, "pop3.commands{STAT,ok}"));
        Assert.Equal(0, after.RootElement.GetProperty("sessionsActive").GetInt64());
        var latency = after.RootElement.GetProperty("commandLatency");
        Assert.Equal(scrape.Sum("pop3_command_duration_seconds_count"), latency.GetProperty("samples").GetInt64());
        Assert.InRange(latency.GetProperty("p50Ms").GetDouble(), 0.0, latency.GetProperty("p99Ms").GetDouble());
        Assert.True(latency.GetProperty("p99Ms").GetDouble() > 0, after.RootElement.ToString());
    });

    [Fact]
    public Task OperatorPage_RendersInHeadlessChromium() => fixture.GuardAsync(async () =>
    {
        var chromium = ExternalTool.Require("chromium", "chromium");
        var artifacts = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "artifacts"));
        Directory.CreateDirectory(artifacts);
        var screenshot = Path.Combine(artifacts, "operator-page.png");
        File.Delete(screenshot);
        var url = _http.BaseAddress!.ToString();
        string[] common =
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--virtual-time-budget=5000", "--window-size=1200,900",
        ];

        var dom = await ProcessRunner.RunAsync(chromium, [.. common, $"--user-data-dir={fixture.NewScratchDirectory("chromium")}", "--dump-dom", url]);
        var shot = await ProcessRunner.RunAsync(chromium, [.. common, $"--user-data-dir={fixture.NewScratchDirectory("chromium")}", $"--screenshot={screenshot}", url]);

        Assert.True(dom.ExitCode == 0, dom.ToString());
        Assert.Contains($"S127.0.0.1:{fixture.Server.SiloPort}:", dom.Stdout); // the script filled in the silo table
        Assert.Contains(">Active<", dom.Stdout);
        Assert.True(shot.ExitCode == 0 && File.Exists(screenshot) && new FileInfo(screenshot).Length > 5_000, shot.ToString());
    });

    private static long StatusTotal(JsonDocument status, string key) =>
        status.RootElement.GetProperty("totals").TryGetProperty(key, out var value) ? value.GetInt64() : 0;

    private async Task<PrometheusText> ScrapeAsync() => new(await _http.GetStringAsync("metrics"));

    private async Task<PrometheusText> ScrapeUntilAsync(Func<PrometheusText, bool> done)
    {
        // The session-end measurements land after the client saw QUIT's reply; give them a moment.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var scrape = await ScrapeAsync();
            if (done(scrape) || DateTime.UtcNow > deadline)
            {
                return scrape;
            }
            await Task.Delay(200);
        }
    }

    private static double Delta(PrometheusText before, PrometheusText after, string metric, params string[] labels) =>
        after.Sum(metric, labels) - before.Sum(metric, labels);
}
