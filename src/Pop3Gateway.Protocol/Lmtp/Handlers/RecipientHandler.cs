namespace Pop3Gateway.Protocol.Lmtp.Handlers;

/// <summary>RCPT TO (RFC 5321 §4.1.1.3): each recipient is looked up at once, so LMTP can refuse it here.</summary>
internal static class RecipientHandler
{
    public static async Task<LmtpReply> HandleAsync(LmtpSessionContext context, string argument, CancellationToken cancellationToken)
    {
        if (!LmtpCommandParser.TryParsePath(argument, "TO", out var path))
        {
            return LmtpReplies.BadSyntax;
        }
        if (path!.Parameters.Count > 0)
        {
            return LmtpReplies.BadParameter;
        }
        if (path.Address.Length == 0)
        {
            return LmtpReplies.BadAddress;
        }
        if (context.Recipients.Count >= context.Limits.MaxRecipients)
        {
            return LmtpReplies.TooManyRecipients;
        }
        var lookup = await context.Backend.ResolveAsync(path.Address, Math.Max(context.SizeHint, 1), cancellationToken);
        switch (lookup.Status)
        {
            case RecipientStatus.Ok:
                context.Recipients.Add((path.Address, lookup.Mailbox!));
                return LmtpReplies.RecipientOk;
            case RecipientStatus.Unknown:
                return LmtpReplies.UnknownRecipient(path.Address);
            case RecipientStatus.OverQuota:
                return LmtpReplies.OverQuota(path.Address);
            default:
                return LmtpReplies.TemporaryFailure($"<{path.Address}>");
        }
    }
}
