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
        // PASS opens the session through the account grain, QUIT commits on the mailbox grain; STAT is served from the snapshot.
        Assert.Contains(trace, a => IsGrainCall(a, "MailboxGrain", "OpenSession"));
        Assert.Contains(trace, a => IsGrainCall(a, "MailboxGrain", "CommitMarks"));
        Assert.DoesNotContain(trace, a => IsGrainCall(a, "MailboxGrain", "Stat"));
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

    [Fact]
    public async Task Session_EveryCommand_AtMostOneGrainRoundTrip()
    {
        var login = "r" + Guid.NewGuid().ToString("N")[..12];
        await fixture.CreateMailboxAsync(login, "pw-trips", "Subject: a\r\n\r\na\r\n", "Subject: b\r\n\r\nb\r\n");
        var exported = await RecordSessionAsync($"USER {login}\r\nPASS pw-trips\r\nSTAT\r\nLIST\r\nUIDL\r\nLIST 2\r\nRETR 1\r\nTOP 2 0\r\n"
            + "DELE 1\r\nRSET\r\nDELE 2\r\nSTAT\r\nQUIT\r\n");

        var session = Assert.Single(exported, a => a.OperationName == "pop3.session" && a.Tags.Any(t => t.Value == login));
        var commands = exported.Where(a => a.TraceId == session.TraceId && a.OperationName == "pop3.command").ToList();
        var callsBy = commands.ToDictionary(
            c => c.SpanId,
            c => exported.Count(a => a.ParentSpanId == c.SpanId && a.Kind == ActivityKind.Client
                && a.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)));
        string Name(Activity command) => (string)command.GetTagItem("pop3.command")!;
        Assert.Equal(13, commands.Count);
        Assert.All(commands, c => Assert.InRange(callsBy[c.SpanId], 0, 1));
        Assert.Equal(["PASS", "QUIT"], commands.Where(c => callsBy[c.SpanId] == 1).Select(Name));
        Assert.Equal(1, (await fixture.Grains.GetGrain<Abstractions.IMailboxGrain>(login).Describe()).MessageCount);
    }

    private static bool IsGrainCall(Activity activity, string grain, string method) =>
        activity.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)
        && activity.DisplayName.Contains(grain, StringComparison.Ordinal) && activity.DisplayName.Contains(method, StringComparison.Ordinal);

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
