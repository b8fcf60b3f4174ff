namespace Pop3Gateway.Protocol.Lmtp.Handlers;

/// <summary>LHLO (RFC 2033 §4.1), and the SMTP greetings LMTP does not take.</summary>
internal static class GreetingHandlers
{
    public static Task<LmtpReply> LhloAsync(LmtpSessionContext context, string argument, CancellationToken cancellationToken)
    {
        context.Reset();
        context.State = LmtpState.Ready;
        return Task.FromResult(LmtpReplies.Lhlo(context.Limits.HostName, context.Limits.MaxMessageSize));
    }

    public static Task<LmtpReply> UseLhloAsync(LmtpSessionContext context, string argument, CancellationToken cancellationToken)
        => Task.FromResult(LmtpReplies.UseLhlo);
}
