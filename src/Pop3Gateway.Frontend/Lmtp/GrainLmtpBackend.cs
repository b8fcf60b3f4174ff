using Microsoft.Extensions.Logging;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Frontend.Delivery;
using Pop3Gateway.Protocol.Lmtp;

namespace Pop3Gateway.Frontend.Lmtp;

/// <summary>
/// Resolves recipients through the address and account grains and delivers through <see cref="MailDelivery"/>,
/// turning every failure into a status. Deliveries are always deduplicated: a message the MTA sends
/// again because it lost the reply (same Message-ID, same bytes, within <c>Delivery:DedupeWindow</c>)
/// is acknowledged as delivered and not stored twice.
/// </summary>
/// <remarks>
/// A recipient is an address mapped with <c>pop3gw account address add</c>, or exactly a login
/// (<c>RCPT TO:&lt;alice&gt;</c>, or <c>&lt;bob@example.com&gt;</c> when that is bob's login).
/// <c>login@any-domain</c> is not accepted: it would make every domain deliverable.
/// </remarks>
public sealed partial class GrainLmtpBackend(IGrainFactory grains, MailDelivery delivery, ILogger logger) : ILmtpBackend
{
    public async Task<RecipientLookup> ResolveAsync(string address, long sizeHint, CancellationToken cancellationToken)
    {
        try
        {
            var mailbox = await FindMailboxAsync(address);
            if (mailbox is null)
            {
                return new RecipientLookup(RecipientStatus.Unknown, null);
            }
            var quota = await grains.GetGrain<IMailboxGrain>(mailbox).GetQuota();
            if (!quota.Exists)
            {
                return new RecipientLookup(RecipientStatus.Unknown, null);
            }
            return quota.Admits(sizeHint)
                ? new RecipientLookup(RecipientStatus.Ok, mailbox)
                : new RecipientLookup(RecipientStatus.OverQuota, mailbox);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            FrontendLog.ClusterCallFailed(logger, "LMTP RCPT", e);
            return new RecipientLookup(RecipientStatus.Unavailable, null);
        }
    }

    private async Task<string?> FindMailboxAsync(string address)
    {
        if (MailAddresses.TryNormalize(address, out var normalized, out _)
            && await grains.GetGrain<IAddressGrain>(normalized).Resolve() is { } target)
        {
            return target.Mailbox;
        }
        if (MailboxNames.TryNormalize(address, out var login, out _)
            && await grains.GetGrain<IAccountGrain>(login).Describe() is { } account)
        {
            return account.Mailbox;
        }
        return null;
    }

    public async Task<DeliveryOutcome> DeliverAsync(string mailbox, LmtpMessage message, CancellationToken cancellationToken)
    {
        DeliveryResult result;
        try
        {
            await using var source = await message.OpenAsync(cancellationToken);
            result = await delivery.DeliverAsync(mailbox, source, preservedUidl: null, dedupe: true, cancellationToken);
        }
        catch (DeliveryOutcomeUnknownException e)
        {
            FrontendLog.ClusterCallFailed(logger, "LMTP deliver", e.InnerException!);
            return new DeliveryOutcome(DeliveryStatus.Unavailable, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            FrontendLog.LmtpStoreFailed(logger, mailbox, e);
            return new DeliveryOutcome(DeliveryStatus.Unavailable, null);
        }
        if (result.Duplicate)
        {
            DuplicateAcknowledged(logger, mailbox, result.Uidl);
        }
        return new DeliveryOutcome(
            result.Status switch
            {
                MailboxStatus.Ok => DeliveryStatus.Delivered,
                MailboxStatus.QuotaExceeded => DeliveryStatus.OverQuota,
                MailboxStatus.InvalidRequest or MailboxStatus.NoSuchMailbox => DeliveryStatus.Refused,
                _ => DeliveryStatus.Unavailable,
            },
            result.Uidl);
    }

    [LoggerMessage(EventId = 1120, Level = LogLevel.Information,
        Message = "LMTP delivery to {Mailbox} is a duplicate of UIDL {Uidl}; acknowledged, not stored again")]
    private static partial void DuplicateAcknowledged(ILogger logger, string mailbox, string? uidl);
}
