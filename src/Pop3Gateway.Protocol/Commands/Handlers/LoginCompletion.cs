using Pop3Gateway.Protocol.Backend;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.Commands.Handlers;

/// <summary>Turns the backend's answer to a login (PASS or AUTH) into the session's next state and reply.</summary>
internal static class LoginCompletion
{
    public static async Task<CommandResult> CompleteAsync(Pop3SessionContext context, LoginResult result)
    {
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
            case { Failure: LoginFailure.Blocked }:
                return CommandResult.Neutral(Pop3Replies.LoginBlocked);
            case { Failure: LoginFailure.TooManySessions }:
                return CommandResult.Neutral(Pop3Replies.TooManySessions);
            default:
                return CommandResult.Neutral(Pop3Replies.LoginUnavailable);
        }
    }
}
