using Pop3Gateway.Protocol.Backend;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.Commands.Handlers;

/// <summary>QUIT (RFC 1939 sections 5 and 6): in TRANSACTION it enters UPDATE and commits the delete marks.</summary>
internal static class QuitHandler
{
    public static async Task<CommandResult> HandleAsync(Pop3SessionContext context, Pop3Command command, CancellationToken cancellationToken)
    {
        if (context.State != Pop3State.Transaction)
        {
            return CommandResult.Success(Pop3Replies.Bye);
        }

        context.State = Pop3State.Update;
        var commit = await context.OpenMaildrop.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (commit.IsOk)
        {
            context.Committed = true;
            return CommandResult.Success(Pop3Replies.ByeAfterCommit(commit.Value));
        }

        return CommandResult.Neutral(commit.Status switch
        {
            MaildropStatus.SessionLost => Pop3Replies.SessionLost,
            MaildropStatus.OutcomeUnknown => Pop3Replies.CommitUnknown,
            _ => Pop3Replies.CommitFailed,
        });
    }
}
