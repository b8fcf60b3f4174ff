namespace Pop3Gateway.Abstractions;

/// <summary>Which messages an operator's expunge removes.</summary>
public enum ExpungeSelector
{
    /// <summary>Every message.</summary>
    All = 0,
    /// <summary>Messages delivered earlier than <see cref="ExpungeRequest.Before"/>.</summary>
    Before = 1,
    /// <summary>The messages with the UIDLs of <see cref="ExpungeRequest.Uidls"/>.</summary>
    Uidls = 2,
}

/// <summary>An operator's removal of messages from a mailbox (<c>pop3gw mailbox expunge</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record ExpungeRequest(
    [property: Id(0)] ExpungeSelector Selector,
    [property: Id(1)] DateTimeOffset? Before,
    [property: Id(2)] IReadOnlyList<string> Uidls)
{
    public static ExpungeRequest All() => new(ExpungeSelector.All, null, []);

    public static ExpungeRequest DeliveredBefore(DateTimeOffset before) => new(ExpungeSelector.Before, before, []);

    public static ExpungeRequest ForUidls(IReadOnlyList<string> uidls) => new(ExpungeSelector.Uidls, null, uidls);

    /// <summary>The selection as the audit log shows it (UIDLs counted, not listed).</summary>
    public override string ToString() => Selector switch
    {
        ExpungeSelector.Before => $"before {Before:O}",
        ExpungeSelector.Uidls => $"{Uidls?.Count ?? 0} UIDLs",
        _ => "all",
    };
}

/// <summary>
/// What an expunge removed. <see cref="Holder"/> names the session holding the lease when the
/// mailbox is <see cref="MailboxStatus.InUse"/>; <see cref="UnknownUidls"/> are the requested UIDLs
/// that no message has (the others are removed all the same).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ExpungeResult(
    [property: Id(0)] MailboxStatus Status,
    [property: Id(1)] string? Holder,
    [property: Id(2)] int Removed,
    [property: Id(3)] long OctetsRemoved,
    [property: Id(4)] IReadOnlyList<string> UnknownUidls)
{
    public static ExpungeResult Failed(MailboxStatus status, string? holder = null) => new(status, holder, 0, 0, []);
}

/// <summary>
/// One message of the index, for an export: <see cref="Delivered"/> is when its body was written
/// (read from the body id, which carries that time); null for a body id that does not.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record IndexEntry(
    [property: Id(0)] string Uidl,
    [property: Id(1)] long Size,
    [property: Id(2)] string BodyId,
    [property: Id(3)] DateTimeOffset? Delivered);

/// <summary>A page of the index in mailbox order; <see cref="NextStart"/> is null after the last page.</summary>
[GenerateSerializer, Immutable]
public sealed record EntryPage(
    [property: Id(0)] MailboxStatus Status,
    [property: Id(1)] IReadOnlyList<IndexEntry> Entries,
    [property: Id(2)] int? NextStart)
{
    /// <summary>The most entries one page carries: about 1 MB on the wire.</summary>
    public const int MaxLimit = 10_000;
}
