using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Host.Cli;

// The documents the --json option writes (through CliJson: camelCase names, nulls written as null).
// Field names are a stable interface for scripts:
//
//   account show --json     AccountView
//     {"login", "mailbox", "grantedMailboxes": [..], "addresses": [..], "disabled", "migratedHashScheme": string|null,
//      "created": ISO-8601}
//   account list --json     {"accounts": [AccountView..], "next": token|null}
//   mailbox show --json     MailboxView
//     {"mailbox", "messages", "octets",
//      "quota": {"messagesUsed", "messageLimit", "messageLimitIsDefault", "octetsUsed", "octetLimit", "octetLimitIsDefault"},
//      "locked", "lock": {"holder", "sessionId", "expires": ISO-8601|null}|null}
//     (limits of 0 mean unlimited)
//   mailbox list --json     {"mailboxes": [{"mailbox", "messages", "octets", "locked"}..], "next": token|null}
//
// "next" is the value to pass to --after for the following page; null when nothing more matches.

/// <summary>One account, as <c>account show</c> and <c>account list</c> print it.</summary>
public sealed record AccountView(
    string Login,
    string Mailbox,
    IReadOnlyList<string> GrantedMailboxes,
    IReadOnlyList<string> Addresses,
    bool Disabled,
    string? MigratedHashScheme,
    DateTimeOffset Created)
{
    public static AccountView From(AccountInfo info) => new(
        info.Login, info.Mailbox, info.GrantedMailboxes, info.Addresses, info.Disabled, info.MigratedScheme, info.Created);
}

/// <summary>A page of <c>account list</c>.</summary>
public sealed record AccountListView(IReadOnlyList<AccountView> Accounts, string? Next);

/// <summary><c>mailbox show</c>: contents, quota and the session holding the mailbox, if any.</summary>
public sealed record MailboxView(string Mailbox, int Messages, long Octets, QuotaView Quota, bool Locked, LockView? Lock);

/// <summary>Quota use and limits in force (0 = unlimited); <c>...IsDefault</c> when the limit is the configured default.</summary>
public sealed record QuotaView(
    long MessagesUsed,
    long MessageLimit,
    bool MessageLimitIsDefault,
    long OctetsUsed,
    long OctetLimit,
    bool OctetLimitIsDefault)
{
    public static QuotaView From(QuotaInfo quota) => new(
        quota.MessagesUsed, quota.MessageLimit, quota.Own.Messages is null, quota.OctetsUsed, quota.OctetLimit, quota.Own.Octets is null);
}

/// <summary>The live session's lease on a mailbox.</summary>
public sealed record LockView(string Holder, Guid SessionId, DateTimeOffset? Expires);

/// <summary>One row of <c>mailbox list</c>.</summary>
public sealed record MailboxRowView(string Mailbox, int Messages, long Octets, bool Locked);

/// <summary>A page of <c>mailbox list</c>.</summary>
public sealed record MailboxListView(IReadOnlyList<MailboxRowView> Mailboxes, string? Next);
