using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests;

/// <summary>
/// With OTEL_EXPORTER_OTLP_ENDPOINT set, a server exports traces, metrics and logs over OTLP:
/// a small OTLP/HTTP receiver on loopback records what arrives.
/// </summary>
public sealed class OtlpExportTests : IAsyncLifetime
{
    private readonly HttpListener _receiver = new();
    private readonly ConcurrentDictionary<string, ConcurrentBag<byte[]>> _received = new();
    private readonly int _port = FreePorts.Allocate(1)[0];
    private readonly ServerFixture _fixture;
    private Task? _accepting;

    public OtlpExportTests()
    {
        _fixture = new ServerFixture(new ServerProcess(new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{_port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
        }));
    }

    public async Task InitializeAsync()
    {
        _receiver.Prefixes.Add($"http://127.0.0.1:{_port}/");
        _receiver.Start();
        _accepting = AcceptAsync();
        await _fixture.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _fixture.DisposeAsync();
        _receiver.Stop();
        _receiver.Close();
    }

    [Fact]
    public Task Session_IsExportedAsTracesMetricsAndLogs() => _fixture.GuardAsync(async () =>
    {
        var mailbox = await _fixture.CreateMailboxAsync("otlp", [TestMessages.Plain()]);
        await using (var client = await RawPop3Client.LoginAsync(_fixture.Pop3Port, mailbox.Login, mailbox.Password))
        {
            await client.ExpectOkAsync("STAT");
            await client.ExpectOkAsync("RETR 1");
            await client.ReadMultilineAsync();
            await client.ExpectOkAsync("QUIT");
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        while (DateTime.UtcNow < deadline && !(Contains("/v1/traces", "pop3.session") && Contains("/v1/traces", "pop3.command")
            && Contains("/v1/traces", "storage.body.read") && Contains("/v1/metrics", "pop3.commands")
            && Contains("/v1/logs", mailbox.Login)))
        {
            await Task.Delay(250);
        }

        Assert.True(Contains("/v1/traces", "pop3.session"), $"no pop3.session span arrived; paths: {string.Join(", ", _received.Keys)}");
        Assert.True(Contains("/v1/traces", "pop3.command"), "no pop3.command span arrived");
        Assert.True(Contains("/v1/traces", "storage.body.read"), "no storage.body.read span arrived for RETR");
        Assert.True(Contains("/v1/metrics", "pop3.commands"), "no pop3.commands metric arrived");
        Assert.True(Contains("/v1/logs", mailbox.Login), "no log record naming the mailbox arrived");
        Assert.False(_received.Values.SelectMany(b => b).Any(body => Encoding.UTF8.GetString(body).Contains(mailbox.Password, StringComparison.Ordinal)),
            "the password must never be exported");
    });

    private bool Contains(string path, string text) =>
        _received.TryGetValue(path, out var bodies) && bodies.Any(body => Encoding.UTF8.GetString(body).Contains(text, StringComparison.Ordinal));

    private async Task AcceptAsync()
    {
        while (_receiver.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _receiver.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            _received.GetOrAdd(context.Request.Url!.AbsolutePath, _ => []).Add(body.ToArray());
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }
}
