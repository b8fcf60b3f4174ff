using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Pop3Gateway.Protocol.Lmtp.Handlers;

namespace Pop3Gateway.Protocol.Lmtp;

/// <summary>
/// The whole LMTP state machine in one table: command, the states where it is valid, what may
/// follow the verb, and its handler (RFC 2033 §4, RFC 5321 §4.1.1 and §4.1.4).
/// </summary>
public static class LmtpCommandTable
{
    private const LmtpState Greeted = LmtpState.Greeted;
    private const LmtpState Ready = LmtpState.Ready;
    private const LmtpState Mail = LmtpState.Mail;
    private const LmtpState Always = Greeted | Ready | Mail;

    public static IReadOnlyList<LmtpCommandDefinition> Commands { get; } =
    [
        new("LHLO", Always, LmtpArgument.Required, GreetingHandlers.LhloAsync),
        new("HELO", Always, LmtpArgument.Any, GreetingHandlers.UseLhloAsync),
        new("EHLO", Always, LmtpArgument.Any, GreetingHandlers.UseLhloAsync),
        new("MAIL", Ready, LmtpArgument.Any, MailHandler.HandleAsync),
        new("RCPT", Mail, LmtpArgument.Any, RecipientHandler.HandleAsync),
        new("DATA", Mail, LmtpArgument.Absent, DataHandlers.StartAsync),
        new("RSET", Always, LmtpArgument.Blank, SessionHandlers.RsetAsync),
        new("NOOP", Always, LmtpArgument.Any, SessionHandlers.NoopAsync),
        new("QUIT", Always, LmtpArgument.Blank, SessionHandlers.QuitAsync),
    ];

    private static readonly FrozenDictionary<string, LmtpCommandDefinition> ByVerb =
        Commands.ToFrozenDictionary(command => command.Verb, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every command verb the server knows.</summary>
    public static IEnumerable<string> Verbs => Commands.Select(command => command.Verb);

    public static bool TryGet(string verb, [NotNullWhen(true)] out LmtpCommandDefinition? definition)
        => ByVerb.TryGetValue(verb, out definition);

    /// <summary>The reply to a command valid only in other states: what the client must do first.</summary>
    public static LmtpReply WrongState(LmtpState state) => state switch
    {
        Greeted => LmtpReplies.NeedLhlo,
        Mail => LmtpReplies.NestedMail,
        _ => LmtpReplies.NeedMail,
    };
}
