using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Storage;

namespace Pop3Gateway.Grains.Mailboxes;

/// <summary>
/// One mailbox, keyed by its normalized name. Not reentrant: every call runs alone, which is
/// what serializes access. Holds the persisted message index and, in memory only, the session
/// that holds the lease. Only <see cref="Create"/>, <see cref="Deliver"/> and <see cref="Commit"/>
/// write state, each with one ETag-guarded write; deactivation never writes.
/// </summary>
public sealed partial class MailboxGrain(
    [PersistentState("mailbox", StorageNames.Mailboxes)] IPersistentState<MailboxState> state,
    [PersistentState("settings", StorageNames.Mailboxes)] IPersistentState<MailboxSettings> settings,
    Microsoft.Extensions.Options.IOptions<QuotaOptions> quotaOptions,
    IBodyStore bodyStore,
    TimeProvider timeProvider,
    ILogger<MailboxGrain> logger)
    : Grain, IMailboxGrain
{
    private const string MissingBodyError =
        "body not found in the body store — is the deliverer using the same Storage:DataDirectory as the server?";

    private readonly HashSet<string> _uidls = new(StringComparer.Ordinal);
    private readonly HashSet<string> _bodyIds = new(StringComparer.Ordinal);
    private long _octets;

    private string Name => this.GetPrimaryKeyString();

    private ImmutableArray<MessageEntry> Messages => state.State.Messages.IsDefault ? [] : state.State.Messages;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        RebuildIndexes();
        return Task.CompletedTask;
    }

    public async Task<MailboxStatus> Create()
    {
        if (state.State.Exists)
        {
            return MailboxStatus.Ok;
        }
        if (!MailboxNames.TryNormalize(Name, out var normalized, out _) || normalized != Name)
        {
            return MailboxStatus.NoSuchMailbox;
        }
        if (!await TryWrite(state.State with { Exists = true }, "creating"))
        {
            return MailboxStatus.StorageUnavailable;
        }
        logger.Created(Name);
        return MailboxStatus.Ok;
    }

    public Task<MailboxInfo> Describe()
    {
        var session = LiveSession();
        return Task.FromResult(new MailboxInfo(
            state.State.Exists,
            Messages.Length,
            _octets,
            session?.Lease,
            session?.Expires));
    }

    public async Task<DeliveryResult> Deliver(DeliveryRequest request)
    {
        if (!state.State.Exists)
        {
            return new DeliveryResult(MailboxStatus.NoSuchMailbox, null, $"mailbox '{Name}' does not exist");
        }
        if (CheckDelivery(request) is { } error)
        {
            logger.DeliveryRefused(Name, error);
            return new DeliveryResult(MailboxStatus.InvalidRequest, null, error);
        }
        if (QuotaRefusal(request.Size) is { } quotaError)
        {
            logger.DeliveryRefused(Name, quotaError);
            return new DeliveryResult(MailboxStatus.QuotaExceeded, null, quotaError);
        }

        try
        {
            if (!await bodyStore.ExistsAsync(Name, request.BodyId, CancellationToken.None))
            {
                logger.DeliveryRefused(Name, MissingBodyError);
                return new DeliveryResult(MailboxStatus.InvalidRequest, null, MissingBodyError);
            }
        }
        catch (Exception e)
        {
            logger.StorageFailed(e, "checking a body for", Name);
            return new DeliveryResult(MailboxStatus.StorageUnavailable, null, e.Message);
        }

        var uidl = request.PreservedUidl ?? request.BodyId;
        var entry = new MessageEntry(uidl, request.Size, request.BodyId);
        var next = state.State with
        {
            Messages = Messages.Add(entry),
            NextSequence = state.State.NextSequence + 1,
        };
        if (!await TryWrite(next, "delivering to"))
        {
            return new DeliveryResult(MailboxStatus.StorageUnavailable, null, "the mailbox index could not be written");
        }

        _uidls.Add(uidl);
        _bodyIds.Add(request.BodyId);
        _octets += request.Size;
        logger.Delivered(Name, request.BodyId, request.Size, uidl);
        return new DeliveryResult(MailboxStatus.Ok, uidl, null);
    }

    private string? CheckDelivery(DeliveryRequest request)
    {
        if (request.Size <= 0)
        {
            return "message size must be positive";
        }
        if (!Uidls.IsValid(request.BodyId))
        {
            return "body id must be 1 to 70 characters of 0x21 to 0x7E";
        }
        if (_bodyIds.Contains(request.BodyId))
        {
            return $"body '{request.BodyId}' is already in this mailbox";
        }
        var uidl = request.PreservedUidl ?? request.BodyId;
        if (request.PreservedUidl is not null && !Uidls.IsValid(request.PreservedUidl))
        {
            return "preserved UIDL must be 1 to 70 characters of 0x21 to 0x7E";
        }
        if (_uidls.Contains(uidl))
        {
            return $"UIDL '{uidl}' is already used in this mailbox";
        }
        return null;
    }

    /// <summary>
    /// Replaces the state and writes it once. On failure the previous state is put back (on an
    /// ETag conflict it is reloaded from storage, since another activation has written) and false is returned.
    /// </summary>
    private async Task<bool> TryWrite(MailboxState next, string operation)
    {
        var previous = state.State;
        state.State = next;
        try
        {
            await state.WriteStateAsync();
            return true;
        }
        catch (Exception e)
        {
            state.State = previous;
            logger.StorageFailed(e, operation, Name);
            if (e is InconsistentStateException)
            {
                await ReloadAfterConflict();
            }
            return false;
        }
    }

    private async Task ReloadAfterConflict()
    {
        logger.Conflict(Name);
        try
        {
            await state.ReadStateAsync();
            RebuildIndexes();
        }
        catch (Exception e)
        {
            logger.StorageFailed(e, "reloading", Name);
            DeactivateOnIdle();
        }
    }

    private void RebuildIndexes()
    {
        _uidls.Clear();
        _bodyIds.Clear();
        _octets = 0;
        foreach (var message in Messages)
        {
            _uidls.Add(message.Uidl);
            _bodyIds.Add(message.BodyId);
            _octets += message.Size;
        }
    }
}
