namespace Pop3Gateway.Protocol.Lmtp;

internal delegate Task<LmtpReply> LmtpCommandHandler(LmtpSessionContext context, string argument, CancellationToken cancellationToken);

/// <summary>What a command accepts after its verb; checked before the state.</summary>
public enum LmtpArgument
{
    /// <summary>Anything: the handler parses it, or ignores it.</summary>
    Any,
    /// <summary>Something other than spaces (LHLO's domain).</summary>
    Required,
    /// <summary>Nothing but spaces.</summary>
    Blank,
    /// <summary>Nothing at all, not even a second space (DATA).</summary>
    Absent,
}

/// <summary>One row of the LMTP dispatch table.</summary>
public sealed record LmtpCommandDefinition
{
    internal LmtpCommandDefinition(string verb, LmtpState validStates, LmtpArgument argument, LmtpCommandHandler handler)
    {
        Verb = verb;
        ValidStates = validStates;
        Argument = argument;
        Handler = handler;
    }

    /// <summary>The command name, upper case.</summary>
    public string Verb { get; }

    /// <summary>The states in which the command is accepted.</summary>
    public LmtpState ValidStates { get; }

    /// <summary>What may follow the verb.</summary>
    public LmtpArgument Argument { get; }

    internal LmtpCommandHandler Handler { get; }

    /// <summary>Whether <paramref name="argument"/> (the text after the verb's space) is acceptable.</summary>
    public bool Accepts(string argument) => Argument switch
    {
        LmtpArgument.Required => argument.Trim().Length > 0,
        LmtpArgument.Blank => argument.Trim().Length == 0,
        LmtpArgument.Absent => argument.Length == 0,
        _ => true,
    };
}
