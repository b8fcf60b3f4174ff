using System.Reflection;
using Pop3Gateway.Protocol.Lmtp;

namespace Pop3Gateway.Protocol.Tests.Lmtp;

/// <summary>
/// Fails when a command in the LMTP dispatch table has no test of its own: every verb needs a
/// test class or method marked <see cref="CoversLmtpCommandAttribute"/>.
/// </summary>
public sealed class LmtpCommandCoverageGuardTests
{
    private static IEnumerable<CoversLmtpCommandAttribute> Markers()
    {
        var types = typeof(LmtpCommandCoverageGuardTests).Assembly.GetTypes();
        return types.SelectMany(type => type.GetCustomAttributes<CoversLmtpCommandAttribute>())
            .Concat(types.SelectMany(type => type.GetMethods()).SelectMany(method => method.GetCustomAttributes<CoversLmtpCommandAttribute>()));
    }

    [Fact]
    public void EveryCommand_HasMarkedTests()
    {
        var covered = Markers().Select(marker => marker.Verb).ToHashSet(StringComparer.Ordinal);
        var missing = LmtpCommandTable.Verbs.Where(verb => !covered.Contains(verb)).ToList();
        Assert.True(missing.Count == 0, $"LMTP commands without a [CoversLmtpCommand] test: {string.Join(", ", missing)}");
    }

    [Fact]
    public void EveryMarker_NamesARealCommand()
    {
        var unknown = Markers().Select(marker => marker.Verb).Where(verb => !LmtpCommandTable.TryGet(verb, out _)).ToList();
        Assert.True(unknown.Count == 0, $"Markers naming no LMTP command: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void CommandTable_VerbsUniqueAndUpperCase()
    {
        var verbs = LmtpCommandTable.Verbs.ToList();
        Assert.Equal(verbs.Count, verbs.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(verbs, verb => Assert.Equal(verb.ToUpperInvariant(), verb));
    }

    [Fact]
    public void CommandTable_StatesMatchRfc2033()
    {
        var states = LmtpCommandTable.Commands.ToDictionary(command => command.Verb, command => command.ValidStates);
        var always = LmtpState.Greeted | LmtpState.Ready | LmtpState.Mail;
        foreach (var verb in new[] { "LHLO", "HELO", "EHLO", "RSET", "NOOP", "QUIT" })
        {
            Assert.Equal(always, states[verb]);
        }

        Assert.Equal(LmtpState.Ready, states["MAIL"]);
        Assert.Equal(LmtpState.Mail, states["RCPT"]);
        Assert.Equal(LmtpState.Mail, states["DATA"]);
        Assert.Equal(9, states.Count);
    }
}
