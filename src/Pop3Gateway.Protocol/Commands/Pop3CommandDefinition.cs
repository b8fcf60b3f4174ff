using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.Commands;

internal delegate Task<CommandResult> Pop3CommandHandler(Pop3SessionContext context, Pop3Command command, CancellationToken cancellationToken);

/// <summary>One row of the dispatch table.</summary>
public sealed record Pop3CommandDefinition
{
    internal Pop3CommandDefinition(
        string keyword,
        Pop3State validStates,
        int minArguments,
        int maxArguments,
        string missingArgument,
        Pop3CommandHandler handler)
    {
        Keyword = keyword;
        ValidStates = validStates;
        MinArguments = minArguments;
        MaxArguments = maxArguments;
        MissingArgument = missingArgument;
        Handler = handler;
    }

    /// <summary>The command name, upper case.</summary>
    public string Keyword { get; }

    /// <summary>The states in which the command is accepted.</summary>
    public Pop3State ValidStates { get; }

    /// <summary>Fewest arguments accepted.</summary>
    public int MinArguments { get; }

    /// <summary>Most arguments accepted.</summary>
    public int MaxArguments { get; }

    /// <summary>What to ask for when arguments are missing.</summary>
    public string MissingArgument { get; }

    internal Pop3CommandHandler Handler { get; }
}
