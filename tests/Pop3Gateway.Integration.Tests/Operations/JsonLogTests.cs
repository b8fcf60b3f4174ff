using System.Text.Json;

namespace Pop3Gateway.Integration.Tests.Operations;

/// <summary><c>Logging:Format=json</c>: every line the server writes is one JSON object with the fields an operator filters on.</summary>
[Collection(OperationsCollection.Name)]
public sealed class JsonLogTests(OperationsServerFixture fixture)
{
    [Fact]
    public Task JsonFormat_Pop3Session_EveryLineJsonWithSessionClientAndMailbox() => fixture.Inner.GuardAsync(async () =>
    {
        var account = await fixture.Inner.CreateAccountAsync("jsonlog");
        await using (var client = await RawPop3Client.LoginAsync(fixture.Inner.Pop3Port, account.Login, account.Password))
        {
            await client.ExpectOkAsync("STAT");
            await client.ExpectOkAsync("QUIT");
        }

        JsonElement ended = default;
        await Eventually.UntilAsync("the session's closing line", TimeSpan.FromSeconds(30), () =>
        {
            var lines = fixture.LogLines().Select(Parse).ToList();
            ended = lines.FirstOrDefault(e => e.GetProperty("eventId").GetInt32() == 1002 && Field(e, "mailbox") == account.Login);
            return Task.FromResult(ended.ValueKind == JsonValueKind.Object ? null : $"{lines.Count} lines, none closing {account.Login}");
        });

        var sessionId = Field(ended, "sessionId");
        Assert.False(string.IsNullOrEmpty(sessionId));
        Assert.Equal("127.0.0.1", Field(ended, "clientAddress"));
        Assert.Equal("Information", ended.GetProperty("level").GetString());
        Assert.Equal("SessionEnded", ended.GetProperty("eventName").GetString());
        Assert.Equal("Pop3Gateway.Frontend.Pop3.Pop3ConnectionHandler", ended.GetProperty("category").GetString());
        Assert.EndsWith("Z", ended.GetProperty("timestamp").GetString());
        Assert.Equal("quit", ended.GetProperty("fields").GetProperty("reason").GetString());
        // The protocol log lines of the same session carry the mailbox from the connection's scope once logged in.
        var stat = fixture.LogLines().Select(Parse).Single(e => Field(e, "sessionId") == sessionId
            && e.GetProperty("message").GetString()!.EndsWith("C: STAT", StringComparison.Ordinal));
        Assert.Equal(account.Login, Field(stat, "mailbox"));
        Assert.Equal("127.0.0.1", Field(stat, "clientAddress"));
    });

    [Fact]
    public Task Serve_UnknownLoggingFormat_OneLineNamingTheKeyExit1() => fixture.Inner.GuardAsync(async () =>
    {
        var environment = new Dictionary<string, string>(fixture.Inner.Server.Environment) { ["POP3GW__Logging__Format"] = "xml" };
        environment.Remove("NOTIFY_SOCKET");

        var result = await Infrastructure.ServerProcess.RunCliAsync(environment, fixture.Inner.NewScratchDirectory("logformat"), ["serve"],
            timeout: TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("pop3gw: invalid configuration: Logging:Format 'xml'", line, StringComparison.Ordinal);
    });

    private static JsonElement Parse(string line)
    {
        try
        {
            var root = JsonDocument.Parse(line).RootElement;
            Assert.Equal(JsonValueKind.Object, root.ValueKind);
            return root;
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"not a JSON line: {line}\n{e.Message}");
        }
    }

    private static string? Field(JsonElement line, string name) =>
        line.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
