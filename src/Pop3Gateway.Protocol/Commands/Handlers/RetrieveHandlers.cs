using Pop3Gateway.Protocol.Backend;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.Commands.Handlers;

/// <summary>RETR and TOP (RFC 1939 sections 5 and 7): the reply names the message; the host streams it.</summary>
internal static class RetrieveHandlers
{
    public static async Task<CommandResult> RetrAsync(Pop3SessionContext context, Pop3Command command, CancellationToken cancellationToken)
    {
        if (!Pop3Numbers.TryParseMessageNumber(command.Arguments[0], out var number, out var error))
        {
            return CommandResult.Bad(error);
        }

        var fetch = await context.OpenMaildrop.FetchAsync(number, cancellationToken).ConfigureAwait(false);
        return fetch is { IsOk: true, Value: { } message }
            ? CommandResult.Success(Pop3Replies.MessageFollows(message.Size) with { Message = message })
            : Failure(fetch.Status, number);
    }

    public static async Task<CommandResult> TopAsync(Pop3SessionContext context, Pop3Command command, CancellationToken cancellationToken)
    {
        if (!Pop3Numbers.TryParseMessageNumber(command.Arguments[0], out var number, out var error)
            || !Pop3Numbers.TryParseLineCount(command.Arguments[1], out var lines, out error))
        {
            return CommandResult.Bad(error);
        }

        var fetch = await context.OpenMaildrop.FetchAsync(number, cancellationToken).ConfigureAwait(false);
        return fetch is { IsOk: true, Value: { } message }
            ? CommandResult.Success(Pop3Replies.TopFollows with { Message = message, TopBodyLines = lines })
            : Failure(fetch.Status, number);
    }

    private static CommandResult Failure(MaildropStatus status, int number)
        => Pop3SessionContext.Failure(status == MaildropStatus.Ok ? MaildropStatus.Unavailable : status, number);
}
