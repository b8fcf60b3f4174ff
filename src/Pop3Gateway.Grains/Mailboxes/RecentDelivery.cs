namespace Pop3Gateway.Grains.Mailboxes;

/// <summary>
/// A delivery the mailbox remembers for deduplication: its dedupe key, the UIDL it was given and
/// when. Part of <see cref="MailboxState"/>; see <see cref="RecentDeliveries"/> for its bounds.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RecentDelivery(
    [property: Id(0)] string Key,
    [property: Id(1)] string Uidl,
    [property: Id(2)] DateTimeOffset At);
