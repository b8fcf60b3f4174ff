namespace Pop3Gateway.Frontend.Security;

/// <summary>
/// The last ban verdict this front-end learned per client address group, from the throttle grain's answer
/// to a check or to a counted failure. A verdict younger than <see cref="Reuse"/> answers the next check
/// without a grain call, so a client that connects and logs in, or reconnects at once, pays one throttle
/// call for all of it. A ban started on another front-end is therefore seen here at most <see cref="Reuse"/>
/// late; one started by a failure here holds at once. Fixed-size and overwritten on collision: the
/// memory does not grow with the number of clients, and a lost verdict only costs a grain call.
/// </summary>
public sealed class BanVerdicts(TimeProvider time)
{
    /// <summary>How long a verdict stands before the throttle grain is asked again.</summary>
    public static readonly TimeSpan Reuse = TimeSpan.FromSeconds(2);

    /// <summary>Slots: address groups seen within <see cref="Reuse"/> beyond this evict each other.</summary>
    public const int Slots = 8192;

    private sealed record Verdict(string Group, DateTimeOffset? BannedUntil, long LearnedAt);

    private readonly Verdict?[] _slots = new Verdict?[Slots];

    /// <summary>Whether the group is banned now by a verdict young enough to trust; null when none is.</summary>
    public bool? TryGetBanned(string group)
    {
        var verdict = Volatile.Read(ref _slots[Slot(group)]);
        if (verdict is null || verdict.Group != group || time.GetElapsedTime(verdict.LearnedAt) >= Reuse)
        {
            return null;
        }
        return verdict.BannedUntil is { } until && until > time.GetUtcNow();
    }

    /// <summary>Keeps what the throttle grain just said about the group.</summary>
    public void Learn(string group, DateTimeOffset? bannedUntil) =>
        Volatile.Write(ref _slots[Slot(group)], new Verdict(group, bannedUntil, time.GetTimestamp()));

    private static int Slot(string group) => (int)((uint)StringComparer.Ordinal.GetHashCode(group) % Slots);
}
