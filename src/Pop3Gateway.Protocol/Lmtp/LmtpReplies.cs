namespace Pop3Gateway.Protocol.Lmtp;

/// <summary>Every LMTP reply text, defined once (codes: RFC 5321 §4.2, enhanced codes: RFC 3463).</summary>
public static class LmtpReplies
{
    public static LmtpReply Greeting(string host) => new(220, null, $"{host} LMTP Pop3Gateway ready");

    public static LmtpReply Lhlo(string host, long maxMessageSize) => new(250, null,
        [host, "PIPELINING", "ENHANCEDSTATUSCODES", "8BITMIME", $"SIZE {maxMessageSize}"]);

    public static readonly LmtpReply Ok = new(250, "2.0.0", "OK");
    public static readonly LmtpReply SenderOk = new(250, "2.1.0", "Sender OK");
    public static readonly LmtpReply RecipientOk = new(250, "2.1.5", "Recipient OK");
    public static readonly LmtpReply StartData = new(354, null, "Start mail input; end with <CRLF>.<CRLF>");
    public static readonly LmtpReply Bye = new(221, "2.0.0", "Bye", close: true);

    public static LmtpReply Delivered(string recipient, string uidl) => new(250, "2.0.0", $"<{recipient}> delivered as {uidl}");

    public static LmtpReply UnknownRecipient(string recipient) => new(550, "5.1.1", $"<{recipient}> no such user here");
    public static LmtpReply OverQuota(string recipient) => new(552, "5.2.2", $"<{recipient}> mailbox is over quota");
    public static LmtpReply TooLarge(long max) => new(552, "5.3.4", $"Message exceeds the maximum size of {max} octets");
    public static LmtpReply TemporaryFailure(string what) => new(451, "4.3.0", $"{what}: storage or cluster unavailable, try again later");
    public static LmtpReply DeliveryRefused(string recipient) => new(554, "5.3.0", $"<{recipient}> delivery refused");
    public static readonly LmtpReply TooManyRecipients = new(452, "4.5.3", "Too many recipients");

    /// <summary>
    /// A message with a bare LF line ending, refused as Postfix 3.9's smtpd refuses it with
    /// <c>smtpd_forbid_bare_newline = reject</c> (<c>"%d 5.5.2 %s Error: bare &lt;LF&gt; received"</c>,
    /// code <c>smtpd_forbid_bare_newline_reject_code</c>, default 550), once per recipient after DATA.
    /// </summary>
    public static LmtpReply BareLineFeed(string host) => new(550, "5.5.2", $"{host} Error: bare <LF> received");

    /// <summary>The peer is not in the networks allowed to deliver (RFC 3463 4.7.0: other security status).</summary>
    public static readonly LmtpReply AccessDenied = new(421, "4.7.0", "Access denied, closing connection", close: true);
    public static readonly LmtpReply TooManyConnections = new(421, "4.3.2", "Too many connections, try again later", close: true);

    public static readonly LmtpReply UseLhlo = new(500, "5.5.1", "This is LMTP (RFC 2033): say LHLO, not HELO or EHLO");
    public static readonly LmtpReply UnknownCommand = new(500, "5.5.1", "Command unrecognized");
    public static readonly LmtpReply LineTooLong = new(500, "5.5.2", "Line too long");
    public static readonly LmtpReply BadSyntax = new(501, "5.5.4", "Syntax error in parameters or arguments");
    public static readonly LmtpReply BadAddress = new(501, "5.1.3", "Bad address syntax");
    public static readonly LmtpReply BadParameter = new(555, "5.5.4", "Parameter not recognized or not implemented");
    public static readonly LmtpReply NeedLhlo = new(503, "5.5.1", "Send LHLO first");
    public static readonly LmtpReply NestedMail = new(503, "5.5.1", "Sender already given");
    public static readonly LmtpReply NeedMail = new(503, "5.5.1", "Send MAIL FROM first");
    public static readonly LmtpReply NoValidRecipients = new(503, "5.5.1", "No valid recipients");
    public static readonly LmtpReply TooManyErrors = new(421, "4.7.0", "Too many errors, closing connection", close: true);
    public static readonly LmtpReply Timeout = new(421, "4.4.2", "Idle timeout, closing connection", close: true);
    public static readonly LmtpReply ShuttingDown = new(421, "4.3.2", "Service shutting down", close: true);
}
