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
        // PASS opens the session through the account grain, QUIT commits on the mailbox grain; STAT is served from the snapshot.
        Assert.Contains(trace, a => IsGrainCall(a, "MailboxGrain", "OpenSession"));
        Assert.Contains(trace, a => IsGrainCall(a, "MailboxGrain", "CommitMarks"));
        Assert.DoesNotContain(trace, a => IsGrainCall(a, "MailboxGrain", "Stat"));
        Assert.Equal("quit", session.GetTagItem("pop3.outcome"));
        Assert.DoesNotContain(trace.SelectMany(a => a.Tags), t => t.Value?.Contains("pw-trace", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Session_EveryCommand_AtMostOneGrainRoundTrip()
    {
        var login = "r" + Guid.NewGuid().ToString("N")[..12];
        await fixture.CreateMailboxAsync(login, "pw-trips", "Subject: a\r\n\r\na\r\n", "Subject: b\r\n\r\nb\r\n");
        var exported = new List<Activity>();
        using (Sdk.CreateTracerProviderBuilder()
            .AddSource(TelemetryNames.ActivitySource, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
            .AddInMemoryExporter(exported)
            .Build())
        {
            await using var connection = new PipeConnection(fixture.Handler());
            await connection.ReadLineAsync();
            await connection.SendAsync($"USER {login}\r\nPASS pw-trips\r\nSTAT\r\nLIST\r\nUIDL\r\nLIST 2\r\nRETR 1\r\nTOP 2 0\r\n"
                + "DELE 1\r\nRSET\r\nDELE 2\r\nSTAT\r\nQUIT\r\n");
            await connection.ReadToEndAsync();
            await connection.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        }

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
}
