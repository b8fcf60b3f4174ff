namespace Pop3Gateway.Abstractions;

/// <summary>What a sweep removed: bodies and index segments that no index entry or header named.</summary>
[GenerateSerializer, Immutable]
public sealed record SweepResult(
    [property: Id(0)] MailboxStatus Status,
    [property: Id(1)] int BodiesRemoved,
    [property: Id(2)] int SegmentsRemoved);

/// <summary>
/// Housekeeping of a mailbox (same grain and key as <see cref="IMailboxGrain"/>). The silo runs the
/// sweep on a timer; operators and tests may run it at once. Operators expunge and export through it.
/// </summary>
[Alias("Pop3Gateway.IMailboxMaintenanceGrain")]
public interface IMailboxMaintenanceGrain : IGrainWithStringKey
{
    /// <summary>
    /// Removes bodies written more than <paramref name="grace"/> ago that no index entry names (a
    /// delivery that crashed between the body and the index) and segments the header no longer names.
    /// Anything the index names is never touched.
    /// </summary>
    [Alias("Sweep")] Task<SweepResult> Sweep(TimeSpan grace);

    /// <summary>
    /// Removes the selected messages durably in one header write, then deletes their bodies, as a
    /// QUIT commit does. Refused with <see cref="MailboxStatus.InUse"/> while a session holds the lease.
    /// <see cref="ExpungeSelector.Before"/> compares the time the body was written, which the body id carries.
    /// </summary>
    [Alias("Expunge")] Task<ExpungeResult> Expunge(ExpungeRequest request);

    /// <summary>
    /// Entries <paramref name="start"/> (0-based) onwards in mailbox order, at most <paramref name="limit"/>
    /// (1 to <see cref="EntryPage.MaxLimit"/>). Paging an index that changes in between may skip or repeat entries.
    /// </summary>
    [Alias("ReadEntries")] Task<EntryPage> ReadEntries(int start, int limit);
}
