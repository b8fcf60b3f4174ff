using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Mailboxes;

/// <summary>The session half of <see cref="MailboxGrain"/>: the lease, the snapshot and the delete marks.</summary>
public sealed partial class MailboxGrain
{
    /// <summary>
    /// How long a lease lives after the last call of its session: the front-end renews it while the
    /// connection lives, so a dead front-end's lock is free within this time (DESIGN: 90 seconds).
    /// </summary>
    public static readonly TimeSpan LeaseLifetime = TimeSpan.FromSeconds(90);

    private MailboxSession? _session;

    public Task<OpenResult> Open(SessionLease lease, LockPolicy policy)
    {
        if (!state.State.Exists)
        {
            return Task.FromResult(new OpenResult(MailboxStatus.NoSuchMailbox, 0, 0, null));
        }

        var current = LiveSession();
        if (current is not null && current.Lease.SessionId == lease.SessionId)
        {
            // A repeated Open of the same session keeps its snapshot and marks.
            return Task.FromResult(Opened(Touch(current)));
        }
        if (current is not null)
        {
            if (policy != LockPolicy.Takeover)
            {
                logger.InUse(Name, current.Lease.Holder, lease.SessionId);
                return Task.FromResult(new OpenResult(MailboxStatus.InUse, 0, 0, current.Lease.Holder));
            }
            logger.TakenOver(Name, lease.SessionId, current.Lease.SessionId, current.Lease.Holder);
        }

        _session = new MailboxSession(lease, Messages, timeProvider.GetUtcNow() + LeaseLifetime);
        logger.Opened(Name, lease.SessionId, lease.Holder, _session.Snapshot.Length);
        return Task.FromResult(Opened(_session));
    }

    public Task<MailboxStatus> Renew(Guid sessionId) =>
        Task.FromResult(SessionFor(sessionId) is null ? MailboxStatus.SessionLost : MailboxStatus.Ok);

    public Task<StatResult> Stat(Guid sessionId)
    {
        if (SessionFor(sessionId) is not { } session)
        {
            return Task.FromResult(new StatResult(MailboxStatus.SessionLost, 0, 0));
        }
        var (count, octets) = session.Visible();
        return Task.FromResult(new StatResult(MailboxStatus.Ok, count, octets));
    }

    public Task<ListingResult> List(Guid sessionId, int? messageNumber)
    {
        if (SessionFor(sessionId) is not { } session)
        {
            return Task.FromResult(new ListingResult(MailboxStatus.SessionLost, []));
        }
        if (messageNumber is { } number)
        {
            var status = session.Check(number);
            return Task.FromResult(status == MailboxStatus.Ok
                ? new ListingResult(MailboxStatus.Ok, [Item(session, number)])
                : new ListingResult(status, []));
        }

        var items = new List<ListingItem>(session.Snapshot.Length - session.Marks.Count);
        for (var n = 1; n <= session.Snapshot.Length; n++)
        {
            if (!session.Marks.Contains(n))
            {
                items.Add(Item(session, n));
            }
        }
        return Task.FromResult(new ListingResult(MailboxStatus.Ok, items));
    }

    public Task<FetchResult> Fetch(Guid sessionId, int messageNumber)
    {
        if (SessionFor(sessionId) is not { } session)
        {
            return Task.FromResult(new FetchResult(MailboxStatus.SessionLost, 0, null));
        }
        var status = session.Check(messageNumber);
        if (status != MailboxStatus.Ok)
        {
            return Task.FromResult(new FetchResult(status, 0, null));
        }
        var entry = session[messageNumber];
        return Task.FromResult(new FetchResult(MailboxStatus.Ok, entry.Size, entry.BodyId));
    }

    public Task<MailboxStatus> MarkDeleted(Guid sessionId, int messageNumber)
    {
        if (SessionFor(sessionId) is not { } session)
        {
            return Task.FromResult(MailboxStatus.SessionLost);
        }
        var status = session.Check(messageNumber);
        if (status == MailboxStatus.Ok)
        {
            session.Marks.Add(messageNumber);
        }
        return Task.FromResult(status);
    }

    public Task<MailboxStatus> ResetMarks(Guid sessionId)
    {
        if (SessionFor(sessionId) is not { } session)
        {
            return Task.FromResult(MailboxStatus.SessionLost);
        }
        session.Marks.Clear();
        return Task.FromResult(MailboxStatus.Ok);
    }

    public async Task<CommitResult> Commit(Guid sessionId)
    {
        if (SessionFor(sessionId) is not { } session)
        {
            return new CommitResult(MailboxStatus.SessionLost, 0);
        }
        // The lease ends with the commit whatever its outcome; a failed commit deletes nothing.
        _session = null;
        if (session.Marks.Count == 0)
        {
            logger.Committed(Name, sessionId, 0);
            return new CommitResult(MailboxStatus.Ok, 0);
        }

        var doomed = session.Marks.Select(n => session[n].BodyId).ToHashSet(StringComparer.Ordinal);
        var remaining = Messages.RemoveAll(entry => doomed.Contains(entry.BodyId));
        var deleted = Messages.Length - remaining.Length;
        if (!await TryWrite(state.State with { Messages = remaining }, "committing deletions in"))
        {
            return new CommitResult(MailboxStatus.StorageUnavailable, 0);
        }

        RebuildIndexes();
        logger.Committed(Name, sessionId, deleted);
        await DeleteBodies(doomed);
        return new CommitResult(MailboxStatus.Ok, deleted);
    }

    public Task Release(Guid sessionId)
    {
        if (_session is not null && _session.Lease.SessionId == sessionId)
        {
            _session = null;
            logger.Released(Name, sessionId);
        }
        return Task.CompletedTask;
    }

    /// <summary>Deletes bodies already removed from the index. A failure leaves an orphan file, which is harmless.</summary>
    private async Task DeleteBodies(IEnumerable<string> bodyIds)
    {
        foreach (var bodyId in bodyIds)
        {
            try
            {
                await bodyStore.DeleteAsync(Name, bodyId, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.BodyDeleteFailed(e, Name, bodyId);
            }
        }
    }

    /// <summary>The session holding a live lease, if any; an expired one is dropped.</summary>
    private MailboxSession? LiveSession()
    {
        if (_session is not null && !_session.IsLive(timeProvider.GetUtcNow()))
        {
            _session = null;
        }
        return _session;
    }

    /// <summary>The live session with this id, its lease extended; null when the session is lost.</summary>
    private MailboxSession? SessionFor(Guid sessionId) =>
        LiveSession() is { } session && session.Lease.SessionId == sessionId ? Touch(session) : null;

    private MailboxSession Touch(MailboxSession session)
    {
        session.Expires = timeProvider.GetUtcNow() + LeaseLifetime;
        return session;
    }

    private static OpenResult Opened(MailboxSession session)
    {
        var (count, octets) = session.Visible();
        return new OpenResult(MailboxStatus.Ok, count, octets, null);
    }

    private static ListingItem Item(MailboxSession session, int number)
    {
        var entry = session[number];
        return new ListingItem(number, entry.Size, entry.Uidl);
    }
}
