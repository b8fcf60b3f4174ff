using Microsoft.Extensions.Logging;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Grains.Mailboxes;

/// <summary>The operator half of <see cref="MailboxGrain"/>: expunge, and reading the index for an export.</summary>
public sealed partial class MailboxGrain
{
    public async Task<ExpungeResult> Expunge(ExpungeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!state.State.Exists)
        {
            return ExpungeResult.Failed(MailboxStatus.NoSuchMailbox);
        }
        if (LiveSession() is { } session)
        {
            // The session's snapshot numbers depend on the index: its messages stay until it ends (or is kicked).
            logger.ExpungeRefused(Name, session.Lease.Holder);
            return ExpungeResult.Failed(MailboxStatus.InUse, session.Lease.Holder);
        }
        if (request.Selector switch
        {
            ExpungeSelector.All => false,
            ExpungeSelector.Before => request.Before is null,
            ExpungeSelector.Uidls => request.Uidls is not { Count: > 0 },
            _ => true,
        })
        {
            return ExpungeResult.Failed(MailboxStatus.InvalidRequest);
        }

        var wanted = request.Selector == ExpungeSelector.Uidls ? request.Uidls.ToHashSet(StringComparer.Ordinal) : null;
        var found = new HashSet<string>(StringComparer.Ordinal);
        var numbers = new List<int>();
        IndexChange change;
        try
        {
            await _index.VisitAsync(MessageCount, (number, entry) =>
            {
                if (Selects(request, wanted, entry))
                {
                    numbers.Add(number);
                    found.Add(entry.Uidl);
                }
            }, CancellationToken.None);
            change = await _index.PlanDeleteAsync(numbers, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.StorageFailed(e, "expunging", Name);
            return ExpungeResult.Failed(MailboxStatus.StorageUnavailable);
        }
        var unknown = wanted is null ? [] : request.Uidls.Where(u => !found.Contains(u)).Distinct(StringComparer.Ordinal).ToArray();
        if (numbers.Count == 0)
        {
            return new ExpungeResult(MailboxStatus.Ok, null, 0, 0, unknown);
        }

        var outcome = await Write(change, "expunging");
        if (outcome == WriteOutcome.Unknown)
        {
            switch (await ExpungeLandedAsync(change.Next))
            {
                case null:
                    return ExpungeResult.Failed(MailboxStatus.OutcomeUnknown);
                case false:
                    return ExpungeResult.Failed(MailboxStatus.StorageUnavailable);
            }
        }
        else if (outcome == WriteOutcome.NotWritten)
        {
            return ExpungeResult.Failed(MailboxStatus.StorageUnavailable);
        }
        var octets = change.Removed.Sum(e => e.Size);
        logger.Expunged(Name, change.Removed.Count, octets);
        await ForgetRemoved(change.Removed);
        return new ExpungeResult(MailboxStatus.Ok, null, change.Removed.Count, octets, unknown);
    }

    public async Task<EntryPage> ReadEntries(int start, int limit)
    {
        if (!state.State.Exists)
        {
            return new EntryPage(MailboxStatus.NoSuchMailbox, [], null);
        }
        if (start < 0 || limit is < 1 or > EntryPage.MaxLimit)
        {
            return new EntryPage(MailboxStatus.InvalidRequest, [], null);
        }
        var end = (int)Math.Min(MessageCount, (long)start + limit);
        var entries = new List<IndexEntry>(Math.Max(0, end - start));
        try
        {
            for (var number = start + 1; number <= end; number++)
            {
                var entry = await _index.GetAsync(number, CancellationToken.None);
                var delivered = BodyIds.TryGetTime(entry.BodyId, out var time) ? time : (DateTimeOffset?)null;
                entries.Add(new IndexEntry(entry.Uidl, entry.Size, entry.BodyId, delivered));
            }
        }
        catch (Exception e)
        {
            logger.StorageFailed(e, "reading the index of", Name);
            return new EntryPage(MailboxStatus.StorageUnavailable, [], null);
        }
        return new EntryPage(MailboxStatus.Ok, entries, end < MessageCount ? end : null);
    }

    /// <summary>
    /// Whether an expunge selects <paramref name="entry"/>. The delivery time is the one the body id
    /// carries (when its body was written); a body id that carries none is never "before".
    /// </summary>
    private static bool Selects(ExpungeRequest request, HashSet<string>? uidls, MessageEntry entry) => request.Selector switch
    {
        ExpungeSelector.All => true,
        ExpungeSelector.Before => BodyIds.TryGetTime(entry.BodyId, out var delivered) && delivered < request.Before,
        _ => uidls!.Contains(entry.Uidl),
    };

    /// <summary>
    /// After an expunge write whose outcome is unknown: reads the header back to learn whether it is the one
    /// written (the grain is not reentrant, so nothing else changed it here); null when it cannot be read.
    /// </summary>
    private async Task<bool?> ExpungeLandedAsync(MailboxState written) =>
        await TryReload("reading back an expunge of")
            ? state.State.MessageCount == written.MessageCount && state.State.Octets == written.Octets
                && state.State.Directory == written.Directory && state.State.Tail.SequenceEqual(written.Tail)
            : null;

    /// <summary>After a header without <paramref name="removed"/> is durable: forget their keys, then delete their bodies.</summary>
    private async Task ForgetRemoved(IReadOnlyList<MessageEntry> removed)
    {
        foreach (var entry in removed)
        {
            _keys?.Remove(entry);
        }
        await DeleteBodies(removed.Select(e => e.BodyId));
    }
}

/// <summary>Log events of the operator calls.</summary>
internal static partial class MailboxLog
{
    [LoggerMessage(EventId = 3014, Level = LogLevel.Information, Message = "Expunged {Removed} messages ({Octets} octets) from {Mailbox}")]
    public static partial void Expunged(this ILogger logger, string mailbox, int removed, long octets);

    [LoggerMessage(EventId = 3015, Level = LogLevel.Information, Message = "Expunge of {Mailbox} refused: in use by {Holder}")]
    public static partial void ExpungeRefused(this ILogger logger, string mailbox, string holder);
}
