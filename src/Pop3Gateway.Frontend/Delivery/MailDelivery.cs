using Microsoft.Extensions.Logging;
using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Frontend.Delivery;

/// <summary>
/// The one way a message enters a mailbox (LMTP, <c>pop3gw deliver</c>, <c>pop3gw import</c>): the
/// body goes to the body store first, then the index entry is committed through
/// <see cref="IMailboxGrain.Deliver"/>. A refused delivery removes its body again. When the outcome
/// of the index step is unknown (the grain reported a storage failure, or the call itself failed:
/// the entry may have landed), the body stays; if no entry names it, the mailbox's orphan sweep
/// removes it later. Never half a delivery.
/// A delivery with dedupe on carries a key made of its first Message-ID and the SHA-256 of its stored
/// bytes; when the mailbox has seen that key within its window (the reply to an earlier attempt was
/// lost and the sender tries again) it answers with the earlier UIDL, and the body just written,
/// which nothing references, is deleted.
/// </summary>
public sealed partial class MailDelivery(IGrainFactory grains, IBodyStore bodies, ILogger<MailDelivery> logger)
{
    /// <summary>
    /// Stores <paramref name="body"/> and commits it to <paramref name="mailbox"/>; returns the grain's
    /// answer, a refusal (quota, duplicate UIDL, no such mailbox) included.
    /// </summary>
    /// <param name="preservedUidl">The UIDL to keep (an import); null to let the mailbox assign one.</param>
    /// <param name="dedupe">
    /// Acknowledge a repeat of a recent delivery (same Message-ID, same stored bytes) without storing
    /// it again; a message without a Message-ID is always delivered.
    /// </param>
    /// <exception cref="DeliveryOutcomeUnknownException">The grain call failed; the body was kept.</exception>
    /// <remarks>An exception from the body store propagates as it is: nothing was stored.</remarks>
    public async Task<DeliveryResult> DeliverAsync(
        string mailbox, Stream body, string? preservedUidl, bool dedupe, CancellationToken cancellationToken)
    {
        var scanner = new MessageIdScanner();
        var stored = await bodies.WriteAsync(mailbox, dedupe ? new MessageIdScanningStream(body, scanner) : body, cancellationToken);
        var key = dedupe && scanner.Complete() is { } messageId && stored.Sha256 is { } sha256 ? DedupeKeys.Of(messageId, sha256) : null;
        DeliveryResult result;
        try
        {
            result = await grains.GetGrain<IMailboxGrain>(mailbox).Deliver(new DeliveryRequest(stored.BodyId, stored.Size, preservedUidl, key));
        }
        catch (Exception e)
        {
            throw new DeliveryOutcomeUnknownException($"delivery to {mailbox}: {e.Message}", e);
        }
        if (result.Duplicate || result.Status is not (MailboxStatus.Ok or MailboxStatus.StorageUnavailable))
        {
            await DeleteUnreferencedAsync(mailbox, stored.BodyId);
        }
        return result;
    }

    /// <summary>A body left behind is an orphan the sweep removes, so a failure here does not change the answer.</summary>
    private async Task DeleteUnreferencedAsync(string mailbox, string bodyId)
    {
        try
        {
            await bodies.DeleteAsync(mailbox, bodyId, CancellationToken.None);
        }
        catch (Exception e)
        {
            UnreferencedBodyNotDeleted(logger, bodyId, mailbox, e);
        }
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning,
        Message = "Body {BodyId} of a refused or repeated delivery to {Mailbox} could not be deleted; the orphan sweep removes it")]
    private static partial void UnreferencedBodyNotDeleted(ILogger logger, string bodyId, string mailbox, Exception exception);
}

/// <summary>
/// The mailbox grain could not be asked or did not answer: the index entry may or may not have
/// landed. The body was kept; <see cref="Exception.InnerException"/> is the call's failure.
/// </summary>
public sealed class DeliveryOutcomeUnknownException(string message, Exception inner) : Exception(message, inner);
