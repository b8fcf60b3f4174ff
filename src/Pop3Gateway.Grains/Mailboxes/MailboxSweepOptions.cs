using Pop3Gateway.Abstractions.Configuration;

namespace Pop3Gateway.Grains.Mailboxes;

/// <summary>Options of the orphan sweep (configuration section <c>Storage:Sweep</c>).</summary>
public sealed class MailboxSweepOptions
{
    public const string Section = "Storage:Sweep";

    /// <summary>How often a mailbox is swept at most: a sweep reads the whole index, so it is rare.</summary>
    [Positive]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long after activation a due sweep runs, if the activation lives that long; zero disables the timer.</summary>
    [NotNegative]
    public TimeSpan Delay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Age below which an unnamed body or segment is left alone: a delivery writes its body before
    /// its index entry, and this must exceed the longest such gap.
    /// </summary>
    [Positive]
    public TimeSpan Grace { get; set; } = TimeSpan.FromHours(1);
}
