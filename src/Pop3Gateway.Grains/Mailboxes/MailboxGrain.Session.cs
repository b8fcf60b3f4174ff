using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Frontends;
using Pop3Gateway.Grains.Frontends;
using Pop3Gateway.Grains.Telemetry;

namespace Pop3Gateway.Grains.Mailboxes;

/// <summary>The session half of <see cref="MailboxGrain"/>: the lease, and the commit of the marks at QUIT.</summary>
public sealed partial class MailboxGrain
{
    private MailboxSession? _session;

    /// <summary>
    /// How long a lease lives after the last call of its session (<see cref="SessionLivenessOptions.SessionLease"/>):
    /// a backstop, since a lease naming a front-end dies with that front-end's heartbeat long before.
    /// </summary>
    private TimeSpan LeaseLifetime => (_liveness ??= ServiceProvider.GetRequiredService<IOptions<SessionLivenessOptions>>().Value).SessionLease;

    private SessionLivenessOptions? _liveness;

    /// <summary>The session holding the lease; setting it keeps the locks-held gauge right.</summary>
    private MailboxSession? Session
    {
        get => _session;
        set
        {
            if ((_session is null) != (value is null))
            {
                MailboxTelemetry.LocksHeld.Add(value is null ? -1 : 1);
            }
            _session = value;
        }
    }

    /// <summary>
    /// Gives <paramref name="lease"/> the lock, or says why not (the holder when it is in use). A
    /// repeated call of the session holding the lease keeps that session.
    /// </summary>
    private async Task<(MailboxStatus Status, string? Holder)> TakeLeaseAsync(SessionLease lease, LockPolicy policy)
    {
        if (!state.State.Exists)
        {
            return (MailboxStatus.NoSuchMailbox, null);
        }

        var current = LiveSession();
        if (current is not null && current.Lease.SessionId == lease.SessionId)
        {
            Touch(current);
            return (MailboxStatus.Ok, null);
        }
        if (current is not null && policy != LockPolicy.Takeover && !await HolderAliveAsync(current))
        {
            current = null;
        }
        if (current is not null)
        {
            if (policy != LockPolicy.Takeover)
            {
                logger.InUse(Name, current.Lease.Holder, lease.SessionId);
                return (MailboxStatus.InUse, current.Lease.Holder);
            }
            logger.TakenOver(Name, lease.SessionId, current.Lease.SessionId, current.Lease.Holder);
            MailboxTelemetry.LockTakeovers.Add(1);
        }

        // The snapshot is the first MessageCount entries: the header alone, no index read.
        var session = Session = new MailboxSession(lease, MessageCount, Octets, timeProvider.GetUtcNow() + LeaseLifetime);
        logger.Opened(Name, lease.SessionId, lease.Holder, session.Count);
        return (MailboxStatus.Ok, null);
    }

    /// <summary>Only the locks-held gauge is settled here; nothing is persisted on deactivation.</summary>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Session = null;
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    public Task<MailboxStatus> Renew(Guid sessionId) =>
        Task.FromResult(SessionFor(sessionId) is null ? MailboxStatus.SessionLost : MailboxStatus.Ok);

    public Task<CommitResult> CommitMarks(Guid sessionId, MessageMarks marks) => TimedCommit(sessionId, marks ?? MessageMarks.None);

    private async Task<CommitResult> TimedCommit(Guid sessionId, MessageMarks marked)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await CommitCore(sessionId, marked);
        MailboxTelemetry.Commits.Add(1, MailboxTelemetry.Outcome(result.Status.ToString()));
        MailboxTelemetry.CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        return result;
    }

    /// <param name="marked">The marks the session kept (snapshot numbers), however many: one header write.</param>
    private async Task<CommitResult> CommitCore(Guid sessionId, MessageMarks marked)
    {
        if (sessionId != Guid.Empty && state.State.LastCommitSession == sessionId)
        {
            // The same QUIT again: its reply was lost on the way (a silo died, a timeout), not its commit.
            return new CommitResult(MailboxStatus.Ok, state.State.LastCommitDeleted);
        }
        if (SessionFor(sessionId) is not { } session)
        {
            return new CommitResult(MailboxStatus.SessionLost, 0);
        }
        // The lease ends with the commit whatever its outcome; a failed commit deletes nothing.
        Session = null;
        if (marked.Highest() > session.Count)
        {
            logger.Released(Name, sessionId);
            return new CommitResult(MailboxStatus.InvalidRequest, 0);
        }
        var numbers = marked.Numbers().ToList();
        if (numbers.Count == 0)
        {
            // Nothing to commit: most sessions only read. The front-end's "session ended" line has the counts.
            logger.Released(Name, sessionId);
            return new CommitResult(MailboxStatus.Ok, 0);
        }

        IndexChange change;
        try
        {
            change = await _index.PlanDeleteAsync(numbers, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.StorageFailed(e, "committing deletions in", Name);
            return new CommitResult(MailboxStatus.StorageUnavailable, 0);
        }
        change = change with { Next = change.Next with { LastCommitSession = sessionId, LastCommitDeleted = change.Removed.Count } };
        var outcome = await Write(change, "committing deletions in");
        if (outcome == WriteOutcome.Unknown)
        {
            switch (await CommitLandedAsync(sessionId))
            {
                case null:
                    return new CommitResult(MailboxStatus.OutcomeUnknown, 0);
                case false:
                    return new CommitResult(MailboxStatus.StorageUnavailable, 0);
            }
        }
        else if (outcome == WriteOutcome.NotWritten)
        {
            return new CommitResult(MailboxStatus.StorageUnavailable, 0);
        }

        logger.Committed(Name, sessionId, change.Removed.Count);
        // Only now that the header without them is durable may the bodies go.
        await ForgetRemoved(change.Removed);
        return new CommitResult(MailboxStatus.Ok, change.Removed.Count);
    }

    /// <summary>
    /// After a commit write whose outcome is unknown: reads the header back to learn whether it
    /// landed; null when it cannot be read either (the front-end's next attempt then reads it afresh).
    /// </summary>
    private async Task<bool?> CommitLandedAsync(Guid sessionId) =>
        await TryReload("reading back the commit of") ? state.State.LastCommitSession == sessionId : null;

    public Task Release(Guid sessionId)
    {
        if (_session is not null && _session.Lease.SessionId == sessionId)
        {
            Session = null;
            logger.Released(Name, sessionId);
        }
        return Task.CompletedTask;
    }

    public Task<SessionLease?> Kick()
    {
        if (LiveSession() is not { } session)
        {
            return Task.FromResult<SessionLease?>(null);
        }
        Session = null;
        logger.Kicked(Name, session.Lease.SessionId, session.Lease.Holder);
        if (session.Lease.Frontend is { } frontend)
        {
            // Not awaited: the lease is free now whatever the front-end does; a front-end that does not answer
            // would otherwise hold this mailbox for a whole call timeout.
            _ = EndOnFrontendAsync(frontend, session.Lease.SessionId);
        }
        return Task.FromResult<SessionLease?>(session.Lease);
    }

    /// <summary>Tells the front-end serving a kicked session to end it now: the client hears why and is disconnected.</summary>
    private async Task EndOnFrontendAsync(string frontend, Guid sessionId)
    {
        try
        {
            await GrainFactory.GetGrain<IFrontendGrain>(frontend).EndSession(sessionId);
        }
        catch (Exception e)
        {
            FrontendLog.EndSessionFailed(logger, Name, sessionId, frontend, e);
        }
    }

    /// <summary>
    /// Whether the session holding the lease still lives on its front-end; when that front-end stopped beating, or
    /// beats but no longer has the session (a login it gave up on while this grant was under way, a release that
    /// was lost), the session is dropped. A lease naming no front-end, or a front-end that cannot be asked, holds:
    /// only a known death frees a lock before its own lease runs out.
    /// </summary>
    private async Task<bool> HolderAliveAsync(MailboxSession session)
    {
        if (session.Lease.Frontend is not { } frontend)
        {
            return true;
        }
        SessionPresence presence;
        try
        {
            presence = await GrainFactory.GetGrain<IFrontendGrain>(frontend).FindSession(session.Lease.SessionId);
        }
        catch (Exception e)
        {
            FrontendLog.LivenessUnknown(logger, Name, frontend, e);
            return true;
        }
        if (presence == SessionPresence.Open)
        {
            return true;
        }
        if (presence == SessionPresence.FrontendDead)
        {
            FrontendLog.FrontendDead(logger, Name, session.Lease.SessionId, session.Lease.Holder, frontend);
        }
        else
        {
            FrontendLog.SessionGone(logger, Name, session.Lease.SessionId, session.Lease.Holder, frontend);
        }
        Session = null;
        MailboxTelemetry.LeaseExpiries.Add(1);
        return false;
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
            Session = null;
            MailboxTelemetry.LeaseExpiries.Add(1);
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
}
