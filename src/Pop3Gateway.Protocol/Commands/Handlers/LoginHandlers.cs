using Pop3Gateway.Protocol.Backend;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.Commands.Handlers;

/// <summary>USER and PASS (RFC 1939 section 7). Failures of PASS send the client back to USER.</summary>
internal static class LoginHandlers
{
    public static Task<CommandResult> UserAsync(Pop3SessionContext context, Pop3Command command, CancellationToken cancellationToken)
    {
        context.PendingUser = null;
        if (!context.CleartextAuthAllowed)
        {
            return Task.FromResult(CommandResult.Neutral(Pop3Replies.CleartextRefused));
        }

        if (!Pop3UserName.TryParse(command.Arguments[0], context.Options.NetbiosDomains, out var user, out var error))
        {
            return Task.FromResult(CommandResult.Bad(Pop3Replies.InvalidUserName(error)));
        }

        // Always +OK: whether the account exists is only revealed after PASS, and then only as [AUTH].
        context.PendingUser = user;
        return Task.FromResult(CommandResult.Success(Pop3Replies.UserAccepted));
    }

    public static async Task<CommandResult> PassAsync(Pop3SessionContext context, Pop3Command command, CancellationToken cancellationToken)
    {
        if (!context.CleartextAuthAllowed)
        {
            context.PendingUser = null;
            return CommandResult.Neutral(Pop3Replies.CleartextRefused);
        }

        var user = context.PendingUser;
        context.PendingUser = null;
        if (user is null)
        {
            return CommandResult.Bad(Pop3Replies.UserFirst);
        }

        var result = await context.Backend.LoginAsync(user, command.ArgumentText, cancellationToken).ConfigureAwait(false);
        return await LoginCompletion.CompleteAsync(context, result).ConfigureAwait(false);
    }
}
