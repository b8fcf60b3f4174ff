using Pop3Gateway.Protocol.Backend;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.Commands.Handlers;

/// <summary>STAT, DELE, RSET and NOOP (RFC 1939 section 5): one maildrop call each.</summary>
internal static class MaildropHandlers
{
    public static async Task<CommandResult> StatAsync(Pop3SessionContext context, Pop3Command command, CancellationToken cancellationToken)
    {
        var stat = await context.OpenMaildrop.StatAsync(cancellationToken).ConfigureAwait(false);
        return stat is { IsOk: true, Value: { } value }
            ? CommandResult.Success(Pop3Replies.Stat(value))
            : Pop3SessionContext.Failure(Unavailable(stat.Status));
    }

    public static async Task<CommandResult> DeleAsync(Pop3SessionContext context, Pop3Command command, CancellationToken cancellationToken)
    {
        if (!Pop3Numbers.TryParseMessageNumber(command.Arguments[0], out var number, out var error))
        {
            return CommandResult.Bad(error);
        }

        var status = await context.OpenMaildrop.DeleteAsync(number, cancellationToken).ConfigureAwait(false);
        return status switch
        {
            MaildropStatus.Ok => CommandResult.Success(Pop3Replies.Deleted(number)),
            MaildropStatus.MessageDeleted => CommandResult.Bad(Pop3Replies.AlreadyDeleted(number)),
            _ => Pop3SessionContext.Failure(status, number),
        };
    }

    public static async Task<CommandResult> RsetAsync(Pop3SessionContext context, Pop3Command command, CancellationToken cancellationToken)
    {
        var status = await context.OpenMaildrop.ResetAsync(cancellationToken).ConfigureAwait(false);
        return status == MaildropStatus.Ok ? CommandResult.Success(Pop3Replies.Reset) : Pop3SessionContext.Failure(Unavailable(status));
    }

    public static async Task<CommandResult> NoopAsync(Pop3SessionContext context, Pop3Command command, CancellationToken cancellationToken)
    {
        var status = await context.OpenMaildrop.KeepAliveAsync(cancellationToken).ConfigureAwait(false);
        return status == MaildropStatus.Ok ? CommandResult.Success(Pop3Replies.Noop) : Pop3SessionContext.Failure(Unavailable(status));
    }

    /// <summary>For commands without a message number, a per-message status can only mean a broken backend.</summary>
    internal static MaildropStatus Unavailable(MaildropStatus status)
        => status is MaildropStatus.SessionLost ? status : MaildropStatus.Unavailable;
}
