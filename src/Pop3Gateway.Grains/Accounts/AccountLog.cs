using Microsoft.Extensions.Logging;

namespace Pop3Gateway.Grains.Accounts;

internal static partial class AccountLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Account {Login} created with mailbox {Mailbox}")]
    public static partial void Created(this ILogger logger, string login, string mailbox);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Account {Login} may now open mailbox {Mailbox}")]
    public static partial void Granted(this ILogger logger, string login, string mailbox);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Password of account {Login} changed")]
    public static partial void PasswordChanged(this ILogger logger, string login);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Storage failed while {Operation} account {Login}")]
    public static partial void StorageFailed(this ILogger logger, Exception exception, string operation, string login);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Account {Login} now receives mail for {Address}")]
    public static partial void AddressAdded(this ILogger logger, string login, string address);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Information, Message = "Account {Login} no longer receives mail for {Address}")]
    public static partial void AddressRemoved(this ILogger logger, string login, string address);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Information, Message = "Account {Login} disabled={Disabled}")]
    public static partial void DisabledChanged(this ILogger logger, string login, bool disabled);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Information, Message = "Account {Login} may no longer open mailbox {Mailbox}")]
    public static partial void Revoked(this ILogger logger, string login, string mailbox);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Information, Message = "Account {Login} removed; mailbox {Mailbox} kept with {Messages} messages")]
    public static partial void Removed(this ILogger logger, string login, string mailbox, int messages);
}
