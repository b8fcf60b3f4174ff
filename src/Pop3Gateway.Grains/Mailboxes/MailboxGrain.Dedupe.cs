using Microsoft.Extensions.Logging;
using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Mailboxes;

/// <summary>
/// Idempotent delivery: a delivery carrying a dedupe key the mailbox saw within
/// <see cref="DeliveryOptions.DedupeWindow"/> is answered with the first delivery's UIDL and stores
/// nothing. The keys are written with the message (<see cref="MailboxState.Recent"/>), so a retry
/// after a silo crash still finds them.
/// </summary>
public sealed partial class MailboxGrain
{
    private TimeSpan DedupeWindow => deliveryOptions.Value.DedupeWindow;

    /// <summary>The answer to a repeated delivery; null when the request is to be delivered (or refused) as usual.</summary>
    private DeliveryResult? FindDuplicate(DeliveryRequest request)
    {
        if (request.DedupeKey is not { } key || DedupeWindow <= TimeSpan.Zero)
        {
            return null;
        }
        if (!RecentDeliveries.IsValidKey(key))
        {
            return new DeliveryResult(MailboxStatus.InvalidRequest, null,
                $"dedupe key must be 1 to {RecentDeliveries.MaxKeyLength} characters of 0x21 to 0x7E");
        }
        if (RecentDeliveries.Find(state.State.Recent, key, timeProvider.GetUtcNow(), DedupeWindow) is not { } first)
        {
            return null;
        }
        DuplicateDelivery(logger, Name, request.BodyId, first.Uidl);
        return new DeliveryResult(MailboxStatus.Ok, first.Uidl, null, Duplicate: true);
    }

    /// <summary>Adds the delivery's key (if any) to the header the change writes, pruning what the window and the bound let go.</summary>
    private IndexChange Remember(IndexChange change, string? key, string uidl)
    {
        var now = timeProvider.GetUtcNow();
        var added = key is null || DedupeWindow <= TimeSpan.Zero ? null : new RecentDelivery(key, uidl, now);
        var recent = RecentDeliveries.Record(change.Next.Recent, added, now, DedupeWindow);
        return change with { Next = change.Next with { Recent = recent } };
    }

    [LoggerMessage(EventId = 3020, Level = LogLevel.Information,
        Message = "Delivery of {BodyId} to {Mailbox} repeats the delivery of UIDL {Uidl}; not stored again")]
    private static partial void DuplicateDelivery(ILogger logger, string mailbox, string bodyId, string uidl);
}
