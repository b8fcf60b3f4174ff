using System.Collections.Immutable;

namespace Pop3Gateway.Grains.Mailboxes;

/// <summary>
/// The dedupe set of a mailbox, kept in its header (<see cref="MailboxState.Recent"/>) so that it is
/// written by the same write that adds the message. Oldest first; entries older than the window are
/// dropped, and so are the oldest beyond <see cref="Capacity"/>.
/// </summary>
/// <remarks>
/// Size budget: a key is at most <see cref="MaxKeyLength"/> characters and a UIDL at most 70, so
/// an entry serializes to at most 140 bytes and a full set to at most 18 KB; with the
/// front-end's 22-character keys and 26-character UIDLs a full set is about 10 KB. The count bound is safe
/// because an entry dropped early only lets a late retry of that delivery store a second copy, as
/// it would with no dedupe at all; nothing is ever lost. An MTA retries a delivery whose reply was
/// lost within minutes, so only a mailbox receiving more than <see cref="Capacity"/> messages in
/// that time can see a duplicate.
/// </remarks>
public static class RecentDeliveries
{
    /// <summary>Most deliveries remembered per mailbox: bounds the header whatever the delivery rate.</summary>
    public const int Capacity = 128;

    /// <summary>Longest dedupe key accepted: a whole SHA-256 in base64url.</summary>
    public const int MaxKeyLength = 43;

    /// <summary>A key is 1 to <see cref="MaxKeyLength"/> characters of 0x21 to 0x7E.</summary>
    public static bool IsValidKey(string key) =>
        key.Length is > 0 and <= MaxKeyLength && key.All(c => c is > ' ' and <= '~');

    /// <summary>The remembered delivery with <paramref name="key"/> made less than <paramref name="window"/> ago, or null.</summary>
    public static RecentDelivery? Find(ImmutableArray<RecentDelivery> recent, string key, DateTimeOffset now, TimeSpan window)
    {
        foreach (var delivery in Of(recent))
        {
            if (string.Equals(delivery.Key, key, StringComparison.Ordinal) && IsLive(delivery, now, window))
            {
                return delivery;
            }
        }
        return null;
    }

    /// <summary>
    /// The set after a delivery: expired entries pruned, <paramref name="added"/> appended (when
    /// given), the oldest dropped beyond <see cref="Capacity"/>. A zero window empties the set.
    /// </summary>
    public static ImmutableArray<RecentDelivery> Record(
        ImmutableArray<RecentDelivery> recent, RecentDelivery? added, DateTimeOffset now, TimeSpan window)
    {
        if (window <= TimeSpan.Zero)
        {
            return [];
        }
        var kept = Of(recent).Where(d => IsLive(d, now, window)).ToList();
        if (added is not null)
        {
            kept.Add(added);
        }
        return [.. kept.Skip(Math.Max(0, kept.Count - Capacity))];
    }

    private static ImmutableArray<RecentDelivery> Of(ImmutableArray<RecentDelivery> recent) => recent.IsDefault ? [] : recent;

    /// <summary>Made less than the window ago; one stamped in the future (a clock step back) counts as live.</summary>
    private static bool IsLive(RecentDelivery delivery, DateTimeOffset now, TimeSpan window) => now - delivery.At < window;
}
