namespace Pop3Gateway.Protocol.Lmtp.Handlers;

/// <summary>DATA (RFC 5321 §4.1.1.4) and its end, which LMTP answers once per accepted recipient (RFC 2033 §4.2).</summary>
internal static class DataHandlers
{
    public static Task<LmtpReply> StartAsync(LmtpSessionContext context, string argument, CancellationToken cancellationToken)
    {
        if (context.Recipients.Count == 0)
        {
            return Task.FromResult(LmtpReplies.NoValidRecipients);
        }
        context.ReceivingData = true;
        return Task.FromResult(LmtpReplies.StartData);
    }

    /// <summary>Delivers <paramref name="message"/> to each recipient in RCPT order; ends the transaction.</summary>
    public static async Task<IReadOnlyList<LmtpReply>> CompleteAsync(LmtpSessionContext context, LmtpMessage message, CancellationToken cancellationToken)
    {
        context.ReceivingData = false;
        var replies = new List<LmtpReply>(context.Recipients.Count);
        foreach (var (address, mailbox) in context.Recipients)
        {
            var outcome = await context.Backend.DeliverAsync(mailbox, message, cancellationToken);
            replies.Add(outcome.Status switch
            {
                DeliveryStatus.Delivered => LmtpReplies.Delivered(address, outcome.Uidl ?? ""),
                DeliveryStatus.OverQuota => LmtpReplies.OverQuota(address),
                DeliveryStatus.Refused => LmtpReplies.DeliveryRefused(address),
                _ => LmtpReplies.TemporaryFailure($"<{address}>"),
            });
        }
        context.Reset();
        return replies;
    }

    /// <summary>Refuses the message read to its end, with the same reply for each recipient; ends the transaction.</summary>
    public static IReadOnlyList<LmtpReply> Refuse(LmtpSessionContext context, DataRefusal reason)
    {
        var reply = reason switch
        {
            DataRefusal.BareLineFeed => LmtpReplies.BareLineFeed(context.Limits.HostName),
            _ => LmtpReplies.TooLarge(context.Limits.MaxMessageSize),
        };
        var replies = Enumerable.Repeat(reply, context.Recipients.Count).ToArray();
        context.ReceivingData = false;
        context.Reset();
        return replies;
    }
}
