using System.Diagnostics.Metrics;
using Pop3Gateway.Abstractions.Telemetry;

namespace Pop3Gateway.Grains.Telemetry;

/// <summary>Instruments of the mailbox grains (meter <see cref="TelemetryNames.Meter"/>).</summary>
public static class MailboxTelemetry
{
    private static readonly Meter Meter = new(TelemetryNames.Meter);

    public static readonly Counter<long> Deliveries =
        Meter.CreateCounter<long>("mailbox.deliveries", "{message}", "Deliveries by outcome");

    public static readonly Histogram<double> DeliveryDuration =
        Meter.CreateHistogram<double>("mailbox.delivery.duration", "s", "Time to add a delivered message to the index");

    public static readonly Counter<long> Commits =
        Meter.CreateCounter<long>("mailbox.commits", "{commit}", "QUIT commits by outcome");

    public static readonly Histogram<double> CommitDuration =
        Meter.CreateHistogram<double>("mailbox.commit.duration", "s", "Time of a QUIT commit");

    public static readonly Counter<long> LockTakeovers =
        Meter.CreateCounter<long>("mailbox.lock.takeovers", "{session}", "Sessions ended by a newer login (LockPolicy=Takeover)");

    public static readonly Counter<long> LeaseExpiries =
        Meter.CreateCounter<long>("mailbox.lease.expiries", "{session}", "Session leases found expired (their front-end vanished)");

    public static readonly UpDownCounter<long> LocksHeld =
        Meter.CreateUpDownCounter<long>("mailbox.locks.held", "{lock}", "Mailbox session leases held now");

    public static readonly Counter<long> StorageErrors =
        Meter.CreateCounter<long>("mailbox.storage.errors", "{error}", "Index writes that failed");

    /// <summary>
    /// The <c>outcome</c> of a delivery answered from the dedupe set: a retry of a delivery already
    /// made, acknowledged without storing a second copy.
    /// </summary>
    public const string Duplicate = "Duplicate";

    public static KeyValuePair<string, object?> Outcome(string outcome) => new("outcome", outcome);
}
