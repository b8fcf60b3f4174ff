using Microsoft.Extensions.Logging;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Frontend;

/// <summary>
/// Front-end log messages; event ids 1000–1999 are stable. Strings a client chose pass through
/// <see cref="Pop3LogText.Escape"/> here, so no call site can forge a log line.
/// </summary>
internal static partial class FrontendLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "POP3 connection {ConnectionId} from {Client} opened")]
    public static partial void ConnectionOpened(ILogger logger, string connectionId, string client);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information,
        Message = "POP3 session {ConnectionId} from {Client} ended: mailbox={Mailbox} reason={Reason} commands={Commands} retr={Retr} top={Top} dele={Dele} octets={Octets} duration={DurationMs}ms")]
    public static partial void SessionEnded(ILogger logger, string connectionId, string client, string? mailbox, string reason,
        int commands, int retr, int top, int dele, long octets, long durationMs);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Cluster call {Operation} failed")]
    public static partial void ClusterCallFailed(ILogger logger, string operation, Exception exception);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Reading a message body failed for mailbox {Mailbox}")]
    public static partial void BodyReadFailed(ILogger logger, string? mailbox, Exception exception);

    [LoggerMessage(EventId = 1030, Level = LogLevel.Warning, Message = "A listing of mailbox {Mailbox} was cut: the connection ends")]
    public static partial void ListingCut(ILogger logger, string? mailbox, Exception exception);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error, Message = "POP3 connection {ConnectionId} failed")]
    public static partial void ConnectionFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information,
        Message = "LMTP session {ConnectionId} from {Client} ended: reason={Reason} messages={Messages} duration={DurationMs}ms")]
    public static partial void LmtpSessionEnded(ILogger logger, string connectionId, string client, string reason, int messages, long durationMs);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "LMTP could not store a message for mailbox {Mailbox}")]
    public static partial void LmtpStoreFailed(ILogger logger, string mailbox, Exception exception);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error, Message = "LMTP connection {ConnectionId} failed")]
    public static partial void LmtpConnectionFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "LMTP message of {Size} octets for {Recipients} recipients: {Replies}")]
    public static partial void LmtpMessageHandled(ILogger logger, long size, int recipients, string replies);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "LMTP connection {ConnectionId} from {Client} refused: {Reason}")]
    public static partial void LmtpConnectionRefused(ILogger logger, string connectionId, string client, string reason);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "LMTP message from {Client} refused: bare LF line ending in DATA")]
    public static partial void LmtpBareLineFeed(ILogger logger, string client);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "PROXY connection {ConnectionId} from {Peer} refused: {Reason}")]
    public static partial void ProxyRefused(ILogger logger, string connectionId, string peer, string reason);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning,
        Message = "Failed login from {Client} as {Login}: answered after {DelayMs}ms; address banned until {BannedUntil}")]
    private static partial void LoginFailedCore(ILogger logger, string client, string? login, long delayMs, DateTimeOffset? bannedUntil);

    /// <summary>A failed login; <paramref name="login"/> is as the client sent it (SASL names may carry CR or LF), so it is escaped.</summary>
    public static void LoginFailed(ILogger logger, string client, string login, long delayMs, DateTimeOffset? bannedUntil)
        => LoginFailedCore(logger, client, Pop3LogText.Escape(login), delayMs, bannedUntil);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "POP3 connection {ConnectionId} from {Client} refused: {Reason}")]
    public static partial void ConnectionRefused(ILogger logger, string connectionId, string client, string reason);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "POP3 {ConnectionId} C: {Line}")]
    private static partial void ProtocolClientCore(ILogger logger, string connectionId, string? line);

    public static void ProtocolClient(ILogger logger, string connectionId, string line)
        => ProtocolClientCore(logger, connectionId, Pop3LogText.Escape(line));

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "POP3 {ConnectionId} S: {Line}")]
    private static partial void ProtocolServerCore(ILogger logger, string connectionId, string? line);

    public static void ProtocolServer(ILogger logger, string connectionId, string line)
        => ProtocolServerCore(logger, connectionId, Pop3LogText.Escape(line));

    [LoggerMessage(EventId = 1012, Level = LogLevel.Information, Message = "POP3 connection {ConnectionId} from {Client}: TLS negotiated ({Protocol})")]
    public static partial void TlsStarted(ILogger logger, string connectionId, string client, string protocol);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Information, Message = "POP3 connection {ConnectionId} from {Client}: STLS handshake failed")]
    public static partial void TlsFailed(ILogger logger, string connectionId, string client, Exception exception);
}
