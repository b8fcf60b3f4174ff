using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.Commands;

/// <summary>How a command counts toward the bad-commands-in-a-row limit.</summary>
internal enum CommandOutcome
{
    /// <summary>Accepted: resets the count.</summary>
    Success,
    /// <summary>Unknown, wrong state, or a syntax or argument error: counts.</summary>
    Bad,
    /// <summary>Neither (authentication failure, unavailable backend): leaves the count alone.</summary>
    Neutral,
}

internal readonly record struct CommandResult(Pop3Reply Reply, CommandOutcome Outcome)
{
    public static CommandResult Success(Pop3Reply reply) => new(reply, CommandOutcome.Success);
    public static CommandResult Bad(Pop3Reply reply) => new(reply, CommandOutcome.Bad);
    public static CommandResult Neutral(Pop3Reply reply) => new(reply, CommandOutcome.Neutral);
}
