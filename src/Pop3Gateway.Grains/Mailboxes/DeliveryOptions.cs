using System.ComponentModel.DataAnnotations;

namespace Pop3Gateway.Grains.Mailboxes;

/// <summary>How mailboxes treat deliveries (configuration section <c>Delivery</c>).</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>
    /// How long a mailbox remembers a delivery's Message-ID and body digest, so that a retried
    /// delivery (its reply was lost) is acknowledged without storing a second copy. Default
    /// <c>24:00:00</c>; <c>00:00:00</c> disables deduplication. At most the latest
    /// <see cref="RecentDeliveries.Capacity"/> deliveries per mailbox are remembered.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00", ErrorMessage = "{0} must be between {1} and {2}")]
    public TimeSpan DedupeWindow { get; set; } = TimeSpan.FromHours(24);
}
