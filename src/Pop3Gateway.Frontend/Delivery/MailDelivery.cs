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
/// </summary>
public sealed partial class MailDelivery(IGrainFactory grains, IBodyStore bodies, ILogger<MailDelivery> logger)
{
    /// <summary>
    /// Stores <paramref name="body"/> and commits it to <paramref name="mailbox"/>; returns the grain's
    /// answer, a refusal (quota, duplicate UIDL, no such mailbox) included.
    /// </summary>
    /// <param name="preservedUidl">The UIDL to keep (an import); null to let the mailbox assign one.</param>
    /// <exception cref="DeliveryOutcomeUnknownException">The grain call failed; the body was kept.</exception>
    /// <remarks>An exception from the body store propagates as it is: nothing was stored.</remarks>
    public async Task<DeliveryResult> DeliverAsync(string mailbox, Stream body, string? preservedUidl, CancellationToken cancellationToken)
    {
        var stored = await bodies.WriteAsync(mailbox, body, cancellationToken);
        DeliveryResult result;
        try
        {
            result = await grains.GetGrain<IMailboxGrain>(mailbox).Deliver(new DeliveryRequest(stored.BodyId, stored.Size, preservedUidl));
        }
        catch (Exception e)
        {
            throw new DeliveryOutcomeUnknownException($"delivery to {mailbox}: {e.Message}", e);
        }
        if (result.Status is not (MailboxStatus.Ok or MailboxStatus.StorageUnavailable))
        {
            await DeleteRefusedAsync(mailbox, stored.BodyId);
        }
        return result;
    }

    /// <summary>A body left behind is an orphan the sweep removes, so a failure here does not change the answer.</summary>
    private async Task DeleteRefusedAsync(string mailbox, string bodyId)
    {
        try
        {
            await bodies.DeleteAsync(mailbox, bodyId, CancellationToken.None);
        }
        catch (Exception e)
        {
            RefusedBodyNotDeleted(logger, bodyId, mailbox, e);
        }
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning,
        Message = "Body {BodyId} of a refused delivery to {Mailbox} could not be deleted; the orphan sweep removes it")]
    private static partial void RefusedBodyNotDeleted(ILogger logger, string bodyId, string mailbox, Exception exception);
}

/// <summary>
/// The mailbox grain could not be asked or did not answer: the index entry may or may not have
/// landed. The body was kept; <see cref="Exception.InnerException"/> is the call's failure.
/// </summary>
public sealed class DeliveryOutcomeUnknownException(string message, Exception inner) : Exception(message, inner);
