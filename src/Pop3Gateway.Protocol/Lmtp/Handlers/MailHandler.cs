using System.Globalization;

namespace Pop3Gateway.Protocol.Lmtp.Handlers;

/// <summary>MAIL FROM (RFC 5321 §4.1.1.2) with the SIZE (RFC 1870) and BODY (RFC 6152) parameters.</summary>
internal static class MailHandler
{
    public static Task<LmtpReply> HandleAsync(LmtpSessionContext context, string argument, CancellationToken cancellationToken)
        => Task.FromResult(Handle(context, argument));

    private static LmtpReply Handle(LmtpSessionContext context, string argument)
    {
        if (!LmtpCommandParser.TryParsePath(argument, "FROM", out var path))
        {
            return LmtpReplies.BadSyntax;
        }
        var maxSize = context.Limits.MaxMessageSize;
        long size = 0;
        foreach (var (name, value) in path!.Parameters)
        {
            switch (name.ToUpperInvariant())
            {
                case "SIZE" when long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out size):
                    if (size > maxSize)
                    {
                        return LmtpReplies.TooLarge(maxSize);
                    }
                    break;
                case "BODY" when value is not null && (value.Equals("7BIT", StringComparison.OrdinalIgnoreCase) || value.Equals("8BITMIME", StringComparison.OrdinalIgnoreCase)):
                    break;
                default:
                    return LmtpReplies.BadParameter;
            }
        }
        context.SizeHint = size;
        context.State = LmtpState.Mail;
        return LmtpReplies.SenderOk;
    }
}
