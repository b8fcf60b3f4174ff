namespace Pop3Gateway.Protocol.Lmtp.Handlers;

/// <summary>RSET, NOOP and QUIT (RFC 5321 §4.1.1.5, §4.1.1.9, §4.1.1.10): valid in every state.</summary>
internal static class SessionHandlers
{
    public static Task<LmtpReply> RsetAsync(LmtpSessionContext context, string argument, CancellationToken cancellationToken)
    {
        context.Reset();
        return Task.FromResult(LmtpReplies.Ok);
    }

    public static Task<LmtpReply> NoopAsync(LmtpSessionContext context, string argument, CancellationToken cancellationToken)
        => Task.FromResult(LmtpReplies.Ok);

    public static Task<LmtpReply> QuitAsync(LmtpSessionContext context, string argument, CancellationToken cancellationToken)
        => Task.FromResult(LmtpReplies.Bye);
}
