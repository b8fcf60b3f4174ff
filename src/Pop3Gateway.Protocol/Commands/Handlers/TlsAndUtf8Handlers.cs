using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.Commands.Handlers;

/// <summary>STLS (RFC 2595 section 4) and UTF8 (RFC 6856 section 2).</summary>
internal static class TlsAndUtf8Handlers
{
    public static Task<CommandResult> StlsAsync(Pop3SessionContext context, Pop3Command command, CancellationToken cancellationToken)
    {
        if (context.IsTls)
        {
            return Task.FromResult(CommandResult.Bad(Pop3Replies.TlsActive));
        }

        if (!context.Options.StlsAvailable)
        {
            return Task.FromResult(CommandResult.Bad(Pop3Replies.TlsUnavailable));
        }

        // RFC 2595 section 4: whatever was learned before the handshake is forgotten.
        context.PendingUser = null;
        return Task.FromResult(CommandResult.Success(Pop3Replies.StartTls));
    }

    /// <summary>Command arguments are always accepted as UTF-8; UTF8 only acknowledges the switch.</summary>
    public static Task<CommandResult> Utf8Async(Pop3SessionContext context, Pop3Command command, CancellationToken cancellationToken)
    {
        context.Utf8 = true;
        return Task.FromResult(CommandResult.Success(Pop3Replies.Utf8Enabled));
    }
}
