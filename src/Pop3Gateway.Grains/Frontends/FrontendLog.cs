using Microsoft.Extensions.Logging;

namespace Pop3Gateway.Grains.Frontends;

internal static partial class FrontendLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Front-end {Frontend} did not answer while {Operation}")]
    public static partial void ObserverFailed(ILogger logger, string frontend, string operation, Exception exception);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information,
        Message = "Session {SessionId} of {Holder} in {Mailbox} expired: its front-end {Frontend} stopped beating")]
    public static partial void FrontendDead(ILogger logger, string mailbox, Guid sessionId, string holder, string frontend);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Information,
        Message = "Session {SessionId} of {Holder} in {Mailbox} expired: its front-end {Frontend} no longer has it")]
    public static partial void SessionGone(ILogger logger, string mailbox, Guid sessionId, string holder, string frontend);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Could not tell front-end {Frontend} to end session {SessionId} of {Mailbox}")]
    public static partial void EndSessionFailed(ILogger logger, string mailbox, Guid sessionId, string frontend, Exception exception);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Front-end {Frontend} could not be listed in the front-end directory; trying again at its next beat")]
    public static partial void RegisterFailed(ILogger logger, string frontend, Exception exception);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "Could not ask front-end {Frontend} whether it is alive; {Mailbox} stays locked by it")]
    public static partial void LivenessUnknown(ILogger logger, string mailbox, string frontend, Exception exception);
}
