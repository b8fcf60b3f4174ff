using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;

using Pop3Gateway.Grains.Telemetry;

namespace Pop3Gateway.Grains.Mailboxes;

/// <summary>
/// One mailbox, keyed by its normalized name. Not reentrant: every call runs alone, which is
/// what serializes access. The persisted state is the index header (<see cref="MailboxState"/>);
/// the entries live in immutable segments of the <see cref="IMailboxSegmentStore"/>, loaded on
/// demand. Only <see cref="Create"/>, <see cref="Deliver"/> and <see cref="CommitMarks"/> change the
/// index, each with one ETag-guarded header write after any new segments; deactivation never writes.
/// </summary>
public sealed partial class MailboxGrain(
    [PersistentState("mailbox", StorageNames.Mailboxes)] IPersistentState<MailboxState> state,
    [PersistentState("settings", StorageNames.Mailboxes)] IPersistentState<MailboxSettings> settings,
    Microsoft.Extensions.Options.IOptions<QuotaOptions> quotaOptions,
    Microsoft.Extensions.Options.IOptions<DeliveryOptions> deliveryOptions,
    IBodyStore bodyStore,
    IMailboxSegmentStore segmentStore,
    TimeProvider timeProvider,
    ILogger<MailboxGrain> logger)
    : Grain, IMailboxGrain
{
    private const string MissingBodyError =
        "body not found in the body store — is the deliverer using the same Storage:DataDirectory as the server?";

    private MailboxIndex _index = null!;
    private MailboxKeys? _keys;

    private string Name => this.GetPrimaryKeyString();

    /// <summary>Messages in the mailbox now (all sessions' snapshots included); read from the header, no index read.</summary>
    private int MessageCount => state.State.MessageCount;

    /// <summary>Octets in the mailbox now; read from the header, no index read.</summary>
    private long Octets => state.State.Octets;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _index = new MailboxIndex(Name, segmentStore, timeProvider);
        _index.Use(state.State);
        StartSweepTimer();
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
        if (!await TryWrite(IndexChange.HeaderOnly(state.State with { Exists = true }), "creating"))
        {
            return MailboxStatus.StorageUnavailable;
        }
        logger.Created(Name);
        // An empty new mailbox: nothing to keep in memory until mail or a login comes (an import of a
        // million accounts would otherwise keep a million activations until the collection age).
        DeactivateOnIdle();
        return MailboxStatus.Ok;
    }

    public Task<MailboxInfo> Describe()
    {
        var session = LiveSession();
        return Task.FromResult(new MailboxInfo(state.State.Exists, MessageCount, Octets, session?.Lease, session?.Expires));
    }

    public async Task<DeliveryResult> Deliver(DeliveryRequest request)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await DeliverCore(request);
        MailboxTelemetry.Deliveries.Add(1, MailboxTelemetry.Outcome(result.Duplicate ? MailboxTelemetry.Duplicate : result.Status.ToString()));
        MailboxTelemetry.DeliveryDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        return result;
    }

    private async Task<DeliveryResult> DeliverCore(DeliveryRequest request)
    {
        if (!state.State.Exists)
        {
            return new DeliveryResult(MailboxStatus.NoSuchMailbox, null, $"mailbox '{Name}' does not exist");
        }
        if (FindDuplicate(request) is { } duplicate)
        {
            return duplicate;
        }
        string? error;
        try
        {
            error = await CheckDelivery(request);
            if (error is null && !await bodyStore.ExistsAsync(Name, request.BodyId, CancellationToken.None))
            {
                error = MissingBodyError;
            }
        }
        catch (Exception e)
        {
            logger.StorageFailed(e, "checking a delivery to", Name);
            return new DeliveryResult(MailboxStatus.StorageUnavailable, null, e.Message);
        }
        if (error is not null)
        {
            logger.DeliveryRefused(Name, error);
            return new DeliveryResult(MailboxStatus.InvalidRequest, null, error);
        }
        if (QuotaRefusal(request.Size) is { } quotaError)
        {
            logger.DeliveryRefused(Name, quotaError);
            return new DeliveryResult(MailboxStatus.QuotaExceeded, null, quotaError);
        }

        var uidl = request.PreservedUidl ?? request.BodyId;
        var entry = new MessageEntry(uidl, request.Size, request.BodyId);
        IndexChange change;
        try
        {
            change = Remember(await _index.PlanAppendAsync(entry, CancellationToken.None), request.DedupeKey, uidl);
        }
        catch (Exception e)
        {
            logger.StorageFailed(e, "delivering to", Name);
            return new DeliveryResult(MailboxStatus.StorageUnavailable, null, "the mailbox index could not be read");
        }
        if (!await TryWrite(change, "delivering to"))
        {
            return new DeliveryResult(MailboxStatus.StorageUnavailable, null, "the mailbox index could not be written");
        }

        _keys?.Add(entry);
        logger.Delivered(Name, request.BodyId, request.Size, uidl);
        return new DeliveryResult(MailboxStatus.Ok, uidl, null);
    }

    /// <summary>
    /// A UIDL or body id already in the mailbox is refused. Fresh body ids are unique by
    /// construction (80 random bits), so a plain delivery is checked against the tail only; a
    /// preserved UIDL (an import) loads the mailbox's keys once per activation and checks them all.
    /// </summary>
    private async Task<string?> CheckDelivery(DeliveryRequest request)
    {
        if (request.Size <= 0)
        {
            return "message size must be positive";
        }
        if (!Uidls.IsValid(request.BodyId))
        {
            return "body id must be 1 to 70 characters of 0x21 to 0x7E";
        }
        if (request.PreservedUidl is not null && !Uidls.IsValid(request.PreservedUidl))
        {
            return "preserved UIDL must be 1 to 70 characters of 0x21 to 0x7E";
        }
        if (request.PreservedUidl is not null && _keys is null)
        {
            var keys = new MailboxKeys();
            await _index.VisitAsync(MessageCount, (_, entry) => keys.Add(entry), CancellationToken.None);
            _keys = keys;
        }
        var uidl = request.PreservedUidl ?? request.BodyId;
        var known = _keys ?? MailboxKeys.Of(state.State.Tail);
        if (known.HasBody(request.BodyId))
        {
            return $"body '{request.BodyId}' is already in this mailbox";
        }
        return known.HasUidl(uidl) ? $"UIDL '{uidl}' is already used in this mailbox" : null;
    }

    /// <summary>
    /// Writes the change's new blobs (segments, directory), then its header (one ETag-guarded write: the commit point),
    /// then deletes the blobs it replaced. On failure nothing is changed and false is returned
    /// (on an ETag conflict the header is reloaded from storage, since another activation has written).
    /// </summary>
    private async Task<bool> TryWrite(IndexChange change, string operation) =>
        await Write(change, operation) == WriteOutcome.Written;

    /// <summary>As <see cref="TryWrite"/>, telling a write that surely failed from one whose header may have landed.</summary>
    private async Task<WriteOutcome> Write(IndexChange change, string operation)
    {
        try
        {
            await _index.WriteBlobsAsync(change, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.StorageFailed(e, operation, Name);
            MailboxTelemetry.StorageErrors.Add(1);
            return WriteOutcome.NotWritten;
        }

        var previous = state.State;
        state.State = change.Next;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            state.State = previous;
            logger.StorageFailed(e, operation, Name);
            MailboxTelemetry.StorageErrors.Add(1);
            // An ETag conflict rejected the write; anything else (a timeout) may have landed. The new
            // segments stay for the sweep either way.
            if (e is InconsistentStateException)
            {
                await ReloadAfterConflict();
                return WriteOutcome.NotWritten;
            }
            return WriteOutcome.Unknown;
        }

        _index.Commit(change);
        await _index.DeleteBlobsAsync(change.Replaced);
        return WriteOutcome.Written;
    }

    private enum WriteOutcome
    {
        Written,
        NotWritten,
        /// <summary>The header write failed in a way that does not say whether it landed.</summary>
        Unknown,
    }

    private async Task ReloadAfterConflict()
    {
        logger.Conflict(Name);
        await TryReload("reloading");
    }

    /// <summary>
    /// Reads the header from storage and indexes from it. When it cannot be read the activation
    /// goes, so that the next call reads it afresh; false then.
    /// </summary>
    private async Task<bool> TryReload(string operation)
    {
        _keys = null;
        try
        {
            await state.ReadStateAsync();
            _index.Use(state.State);
            return true;
        }
        catch (Exception e)
        {
            logger.StorageFailed(e, operation, Name);
            DeactivateOnIdle();
            return false;
        }
    }
}
