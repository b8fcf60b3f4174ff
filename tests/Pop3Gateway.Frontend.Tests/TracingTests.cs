using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Pop3Gateway.Abstractions.Telemetry;
using Pop3Gateway.Storage.Tracing;

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
        var exported = await RecordSessionAsync($"USER {login}\r\nPASS pw-trace\r\nSTAT\r\nQUIT\r\n");

        var session = Assert.Single(exported, a => a.OperationName == "pop3.session" && a.Tags.Any(t => t.Value == login));
        var trace = exported.Where(a => a.TraceId == session.TraceId).ToList();
        var commands = trace.Where(a => a.OperationName == "pop3.command").Select(a => a.GetTagItem("pop3.command")).ToList();
        Assert.Equal(["USER", "PASS", "STAT", "QUIT"], commands);
        Assert.Contains(trace, a => a.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)
            && a.DisplayName.Contains("MailboxGrain", StringComparison.Ordinal) && a.DisplayName.Contains("Stat", StringComparison.Ordinal));
        Assert.Equal("quit", session.GetTagItem("pop3.outcome"));
        Assert.DoesNotContain(trace.SelectMany(a => a.Tags), t => t.Value?.Contains("pw-trace", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task CommandTraces_ReachTheStoresTheyUse()
    {
        var login = "s" + Guid.NewGuid().ToString("N")[..12];
        var uidls = await fixture.CreateMailboxAsync(login, "pw-store", "Subject: s\r\n\r\nsecret body line\r\n");
        var exported = await RecordSessionAsync($"USER {login}\r\nPASS pw-store\r\nRETR 1\r\nDELE 1\r\nQUIT\r\n");

        var session = Assert.Single(exported, a => a.OperationName == "pop3.session" && a.Tags.Any(t => t.Value == login));
        var trace = exported.Where(a => a.TraceId == session.TraceId).ToList();
        var byId = trace.ToDictionary(a => a.SpanId);
        Activity CommandOf(Activity span)
        {
            for (var current = span; ; current = byId[current.ParentSpanId])
            {
                if (current.OperationName == "pop3.command")
                {
                    return current;
                }
            }
        }

        // RETR opens the body in the front-end's store, inside the RETR command's span.
        var read = Assert.Single(trace, a => a.OperationName == StorageTracing.BodyRead);
        Assert.Equal("RETR", CommandOf(read).GetTagItem("pop3.command"));
        Assert.Single(uidls);
        Assert.Equal("embedded", read.GetTagItem(StorageTracing.ProviderTag));
        Assert.Equal(login, read.GetTagItem(StorageTracing.MailboxTag));

        // QUIT commits: the mailbox grain writes its state, then deletes the body, below the QUIT command's span
        // and below the Orleans call that carried it into the grain.
        var write = Assert.Single(trace, a => a.OperationName == StorageTracing.StateWrite
            && (a.GetTagItem(StorageTracing.ObjectTag) as string)?.Contains(login, StringComparison.Ordinal) == true);
        Assert.Equal("QUIT", CommandOf(write).GetTagItem("pop3.command"));
        Assert.StartsWith("Microsoft.Orleans", byId[write.ParentSpanId].Source.Name, StringComparison.Ordinal);
        var delete = Assert.Single(trace, a => a.OperationName == StorageTracing.BodyDelete);
        Assert.Equal("QUIT", CommandOf(delete).GetTagItem("pop3.command"));
        Assert.True(delete.StartTimeUtc >= write.StartTimeUtc + write.Duration, "the body is deleted only after the commit is written");

        Assert.All(trace.Where(a => a.OperationName.StartsWith("storage.", StringComparison.Ordinal)),
            a => Assert.Equal(ActivityStatusCode.Unset, a.Status));
        Assert.DoesNotContain(trace.SelectMany(a => a.Tags), t => t.Value?.Contains("pw-store", StringComparison.Ordinal) == true
            || t.Value?.Contains("secret body", StringComparison.Ordinal) == true);
    }

    /// <summary>Plays <paramref name="commands"/> as one session and returns every span recorded meanwhile.</summary>
    private async Task<List<Activity>> RecordSessionAsync(string commands)
    {
        var exported = new List<Activity>();
        using (Sdk.CreateTracerProviderBuilder()
            .AddSource(TelemetryNames.ActivitySource, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
            .AddInMemoryExporter(exported)
            .Build())
        {
            await using var connection = new PipeConnection(fixture.Handler());
            await connection.ReadLineAsync();
            await connection.SendAsync(commands);
            await connection.ReadToEndAsync();
            await connection.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        }
        return exported;
    }
}
