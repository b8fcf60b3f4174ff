using Pop3Gateway.Protocol.Backend;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.Commands.Handlers;

/// <summary>USER and PASS (RFC 1939 section 7). Failures of PASS send the client back to USER.</summary>
internal static class LoginHandlers
{
    public static Task<CommandResult> UserAsync(Pop3SessionContext context, Pop3Command command, CancellationToken cancellationToken)
    {
        context.PendingUser = null;
        if (!context.Options.AllowUserPass)
        {
            return Task.FromResult(CommandResult.Neutral(Pop3Replies.UserPassDisabled));
        }

        if (!Pop3UserName.TryParse(command.Arguments[0], out var user, out var error))
        {
            return Task.FromResult(CommandResult.Bad(Pop3Replies.InvalidUserName(error)));
        }

        // Always +OK: whether the account exists is only revealed after PASS, and then only as [AUTH].
        context.PendingUser = user;
        return Task.FromResult(CommandResult.Success(Pop3Replies.UserAccepted));
    }

    public static async Task<CommandResult> PassAsync(Pop3SessionContext context, Pop3Command command, CancellationToken cancellationToken)
    {
        if (!context.Options.AllowUserPass)
        {
            return CommandResult.Neutral(Pop3Replies.UserPassDisabled);
        }

        var user = context.PendingUser;
        context.PendingUser = null;
        if (user is null)
        {
            return CommandResult.Bad(Pop3Replies.UserFirst);
        }

        var result = await context.Backend.LoginAsync(user, command.ArgumentText, cancellationToken).ConfigureAwait(false);
        switch (result)
        {
            case { Failure: LoginFailure.None, Maildrop: { } maildrop } when context.Closed:
                // The connection was aborted while the login was under way: give the lock back at once.
                await maildrop.ReleaseAsync().ConfigureAwait(false);
                return CommandResult.Neutral(Pop3Replies.SessionClosed);
            case { Failure: LoginFailure.None, Maildrop: { } maildrop }:
                context.Maildrop = maildrop;
                context.State = Pop3State.Transaction;
                return CommandResult.Success(Pop3Replies.LoggedIn);
            case { Failure: LoginFailure.Credentials }:
                return CommandResult.Neutral(Pop3Replies.AuthenticationFailed);
            case { Failure: LoginFailure.InUse }:
                return CommandResult.Neutral(Pop3Replies.MailboxInUse);
            default:
                return CommandResult.Neutral(Pop3Replies.LoginUnavailable);
        }
    }
}
