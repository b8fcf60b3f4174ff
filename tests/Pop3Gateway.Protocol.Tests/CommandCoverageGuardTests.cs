using System.Reflection;
using Pop3Gateway.Protocol.Commands;
using Pop3Gateway.Protocol.Tests.Support;
using Pop3Gateway.Protocol.Tests.Transcripts;

namespace Pop3Gateway.Protocol.Tests;

/// <summary>
/// Fails when a command in the dispatch table has no test of its own: every keyword needs a
/// test class or method marked <see cref="CoversCommandAttribute"/> and a transcript that sends it.
/// </summary>
public sealed class CommandCoverageGuardTests
{
    private static IEnumerable<CoversCommandAttribute> Markers()
    {
        var types = typeof(CommandCoverageGuardTests).Assembly.GetTypes();
        return types.SelectMany(type => type.GetCustomAttributes<CoversCommandAttribute>())
            .Concat(types.SelectMany(type => type.GetMethods()).SelectMany(method => method.GetCustomAttributes<CoversCommandAttribute>()));
    }

    [Fact]
    public void EveryCommand_HasMarkedTests()
    {
        var covered = Markers().Select(marker => marker.Keyword).ToHashSet(StringComparer.Ordinal);
        AssertNone(Pop3CommandTable.Keywords.Where(keyword => !covered.Contains(keyword)), "Commands without a [CoversCommand] test");
    }

    [Fact]
    public void EveryMarker_NamesARealCommand()
    {
        AssertNone(Markers().Select(marker => marker.Keyword).Where(keyword => !Pop3CommandTable.TryGet(keyword, out _)), "Markers naming no command");
    }

    [Fact]
    public void EveryCommand_AppearsInATranscript()
    {
        var sent = Directory.GetFiles(TranscriptTests.Directory, "*.txt")
            .SelectMany(path => Transcript.Load(path).Keywords)
            .ToHashSet(StringComparer.Ordinal);
        AssertNone(Pop3CommandTable.Keywords.Where(keyword => !sent.Contains(keyword)), "Commands no transcript sends");
    }

    [Fact]
    public void CommandTable_KeywordsUniqueAndUpperCase()
    {
        var keywords = Pop3CommandTable.Keywords.ToList();
        Assert.Equal(keywords.Count, keywords.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(keywords, keyword => Assert.Equal(keyword.ToUpperInvariant(), keyword));
    }

    [Fact]
    public void CommandTable_StatesMatchRfc1939()
    {
        var states = Pop3CommandTable.Commands.ToDictionary(command => command.Keyword, command => command.ValidStates);
        var authorization = Protocol.Session.Pop3State.Authorization;
        var transaction = Protocol.Session.Pop3State.Transaction;
        Assert.Equal(authorization | transaction, states["CAPA"]);
        Assert.Equal(authorization | transaction, states["QUIT"]);
        Assert.Equal(authorization, states["USER"]);
        Assert.Equal(authorization, states["PASS"]);
        foreach (var keyword in new[] { "STAT", "LIST", "UIDL", "RETR", "TOP", "DELE", "RSET", "NOOP" })
        {
            Assert.Equal(transaction, states[keyword]);
        }

        Assert.Equal(authorization, states["AUTH"]);
        Assert.Equal(authorization, states["STLS"]);
        Assert.Equal(authorization, states["UTF8"]);
        Assert.Equal(15, states.Count);
    }

    private static void AssertNone(IEnumerable<string> offenders, string what)
    {
        var list = offenders.ToList();
        Assert.True(list.Count == 0, $"{what}: {string.Join(", ", list)}");
    }
}
