using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Pop3Gateway.Abstractions.Telemetry;

namespace Pop3Gateway.Frontend.Tests;

/// <summary>A POP3 session's trace, captured with the in-memory exporter, reaches into the grain calls it makes.</summary>
[Collection(FrontendCollection.Name)]
public sealed class TracingTests(FrontendFixture fixture)
{
    [Fact]
    public async Task SessionTrace_FollowsCommandsIntoTheMailboxGrain()
    {
        var login = "t" + Guid.NewGuid().ToString("N")[..12];
        await fixture.CreateMailboxAsync(login, "pw-trace", "Subject: t\r\n\r\nt\r\n");
        var exported = new List<Activity>();
        using (Sdk.CreateTracerProviderBuilder()
            .AddSource(TelemetryNames.ActivitySource, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
            .AddInMemoryExporter(exported)
            .Build())
        {
            await using var connection = new PipeConnection(fixture.Handler());
            await connection.ReadLineAsync();
            await connection.SendAsync($"USER {login}\r\nPASS pw-trace\r\nSTAT\r\nQUIT\r\n");
            await connection.ReadToEndAsync();
            await connection.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        }

        var session = Assert.Single(exported, a => a.OperationName == "pop3.session" && a.Tags.Any(t => t.Value == login));
        var trace = exported.Where(a => a.TraceId == session.TraceId).ToList();
        var commands = trace.Where(a => a.OperationName == "pop3.command").Select(a => a.GetTagItem("pop3.command")).ToList();
        Assert.Equal(["USER", "PASS", "STAT", "QUIT"], commands);
        Assert.Contains(trace, a => a.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)
            && a.DisplayName.Contains("MailboxGrain", StringComparison.Ordinal) && a.DisplayName.Contains("Stat", StringComparison.Ordinal));
        Assert.Equal("quit", session.GetTagItem("pop3.outcome"));
        Assert.DoesNotContain(trace.SelectMany(a => a.Tags), t => t.Value?.Contains("pw-trace", StringComparison.Ordinal) == true);
    }
}
