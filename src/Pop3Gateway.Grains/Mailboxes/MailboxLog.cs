using Microsoft.Extensions.Logging;

namespace Pop3Gateway.Grains.Mailboxes;

internal static partial class MailboxLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Mailbox {Mailbox} created")]
    public static partial void Created(this ILogger logger, string mailbox);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Delivered {BodyId} ({Size} octets) to {Mailbox} as UIDL {Uidl}")]
    public static partial void Delivered(this ILogger logger, string mailbox, string bodyId, long size, string uidl);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Delivery to {Mailbox} refused: {Reason}")]
    public static partial void DeliveryRefused(this ILogger logger, string mailbox, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug, Message = "Session {SessionId} of {Holder} opened {Mailbox} with {Count} messages")]
    public static partial void Opened(this ILogger logger, string mailbox, Guid sessionId, string holder, int count);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Mailbox {Mailbox} is in use by {Holder}; session {SessionId} refused")]
    public static partial void InUse(this ILogger logger, string mailbox, string holder, Guid sessionId);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Session {NewSessionId} took {Mailbox} over from session {OldSessionId} of {OldHolder}; its marks were discarded")]
    public static partial void TakenOver(this ILogger logger, string mailbox, Guid newSessionId, Guid oldSessionId, string oldHolder);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "Session {SessionId} committed {Deleted} deletions in {Mailbox}")]
    public static partial void Committed(this ILogger logger, string mailbox, Guid sessionId, int deleted);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Debug, Message = "Session {SessionId} released {Mailbox} without deleting")]
    public static partial void Released(this ILogger logger, string mailbox, Guid sessionId);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Warning, Message = "Storage failed while {Operation} mailbox {Mailbox}; nothing was changed")]
    public static partial void StorageFailed(this ILogger logger, Exception exception, string operation, string mailbox);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Body {BodyId} of {Mailbox} was removed from the index but could not be deleted; it is left as an orphan")]
    public static partial void BodyDeleteFailed(this ILogger logger, Exception exception, string mailbox, string bodyId);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "Mailbox {Mailbox} was written by another activation; reloading its state")]
    public static partial void Conflict(this ILogger logger, string mailbox);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Information, Message = "Swept {Mailbox}: removed {Bodies} orphan bodies and {Segments} unnamed index segments")]
    public static partial void Swept(this ILogger logger, string mailbox, int bodies, int segments);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Information, Message = "Session {SessionId} of {Holder} was ended by an operator in {Mailbox}; its marks were discarded")]
    public static partial void Kicked(this ILogger logger, string mailbox, Guid sessionId, string holder);
}
