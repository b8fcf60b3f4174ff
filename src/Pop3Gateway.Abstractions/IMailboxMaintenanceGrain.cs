namespace Pop3Gateway.Abstractions;

/// <summary>What a sweep removed: bodies and index segments that no index entry or header named.</summary>
[GenerateSerializer, Immutable]
public sealed record SweepResult(
    [property: Id(0)] MailboxStatus Status,
    [property: Id(1)] int BodiesRemoved,
    [property: Id(2)] int SegmentsRemoved);

/// <summary>
/// Housekeeping of a mailbox (same grain and key as <see cref="IMailboxGrain"/>). The silo runs it
/// on a timer; operators and tests may run it at once.
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
}
