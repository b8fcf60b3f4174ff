using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Frontends;
using Pop3Gateway.Frontend.Sessions;
using Pop3Gateway.Frontend.Telemetry;
using Pop3Gateway.Protocol.Backend;

namespace Pop3Gateway.Frontend.Backend;

/// <summary>
/// A logged-in session's mailbox, served from the snapshot the login returned: STAT, LIST, UIDL,
/// RETR, TOP, DELE and RSET need no grain call when the snapshot is one piece (bodies are read from the
/// body store directly, the delete marks are kept here). A larger snapshot reads its further pieces from
/// the mailbox grain when a command needs them (<see cref="SnapshotCache"/>: at most one call per command,
/// one per piece for a whole LIST or UIDL, which is written as it is read). Memory per session is bounded:
/// the few pieces at hand plus one bit per message for the marks. NOOP renews the lease and QUIT commits
/// the marks, one mailbox-grain call each; the grain commits them only while this session still holds the lease, so a session
/// that was taken over, kicked or whose lease ran out deletes nothing. The lease lives as long as this
/// front-end beats (<see cref="FrontendHeartbeat"/>); its own backstop lease is renewed in the background,
/// rarely. The session is listed in <see cref="FrontendSessions"/> while it lives, for <c>who</c> and <c>kick</c>.
/// </summary>
public sealed class GrainMaildrop : IMaildrop
{
    /// <summary>
    /// Pauses before asking again about a QUIT whose commit outcome is unknown (the call failed, or
    /// storage timed out): long enough together for the cluster to declare a dead silo dead
    /// (about 10 s) and the mailbox to reactivate elsewhere and read its header.
    /// </summary>
    private static readonly TimeSpan[] CommitRetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)];

    /// <summary>After this long the client is told the outcome is unknown rather than kept waiting longer.</summary>
    private static readonly TimeSpan CommitRetryBudget = TimeSpan.FromSeconds(30);

    private readonly IMailboxGrain _grain;
    private readonly Guid _sessionId;
    /// <summary>Messages and octets of the snapshot (the entries themselves are in <see cref="_pieces"/>).</summary>
    private readonly int _count;
    private readonly long _octets;
    private readonly SnapshotCache _pieces;
    private readonly IBodyStore _bodies;
    private readonly TimeProvider _time;
    private readonly Action<SessionEndReason> _onSessionEnd;
    private readonly FrontendSessions? _sessions;
    private readonly ILogger _logger;
    /// <summary>Disposed when the session ends: the renewal loop then stops without an exception.</summary>
    private readonly PeriodicTimer _renewal;
    /// <summary>The delete marks, bit n-1 for message n (<see cref="MessageMarks"/>).</summary>
    private readonly byte[] _marks;
    private int _markedCount;
    private long _markedOctets;
    private int _ended;
    private volatile bool _lost;

    internal GrainMaildrop(IMailboxGrain grain, OpenSession session, SessionSnapshot snapshot, Pop3BackendFactory shared,
        Action<SessionEndReason> onSessionEnd)
    {
        Name = session.Mailbox;
        _grain = grain;
        _sessionId = session.SessionId;
        _count = snapshot.MessageCount;
        _octets = snapshot.Octets;
        _marks = new byte[(snapshot.MessageCount + 7) / 8];
        _pieces = new SnapshotCache(snapshot, (first, max, ct) => grain.ReadSnapshot(_sessionId, first, max).WaitAsync(ct));
        _bodies = shared.Bodies;
        _time = shared.Time;
        _onSessionEnd = onSessionEnd;
        _logger = shared.Logger;
        _renewal = new PeriodicTimer(shared.SessionRenewInterval, _time);
        _sessions = shared.Sessions;
        _sessions?.Add(session, End);
        _ = RenewLeaseAsync();
    }

    public string Name { get; }

    /// <summary>Pieces read after login and the most entry bytes held at once: what a listing cost.</summary>
    internal (int Reads, long LargestHeld) PieceUse => (_pieces.Reads, _pieces.LargestHeld);

    public Task<MaildropResult<MaildropStat>> StatAsync(CancellationToken cancellationToken) =>
        Task.FromResult(_lost
            ? MaildropResult<MaildropStat>.Fail(MaildropStatus.SessionLost)
            : MaildropResult<MaildropStat>.Ok(new MaildropStat(_count - _markedCount, _octets - _markedOctets)));

    public async Task<MaildropResult<MessageListing>> ListAsync(int messageNumber, CancellationToken cancellationToken)
    {
        var (piece, status) = await UsableAsync(messageNumber, cancellationToken);
        if (piece is null)
        {
            return MaildropResult<MessageListing>.Fail(status);
        }
        var entry = piece.Entry(messageNumber);
        return MaildropResult<MessageListing>.Ok(new MessageListing(messageNumber, entry.Size, entry.Uidl));
    }

    public Task<MaildropResult<MaildropListing>> ListAllAsync(CancellationToken cancellationToken) =>
        Task.FromResult(_lost
            ? MaildropResult<MaildropListing>.Fail(MaildropStatus.SessionLost)
            : MaildropResult<MaildropListing>.Ok(new MaildropListing(
                _count - _markedCount, _octets - _markedOctets, ListingsAsync())));

    public async Task<MaildropResult<MessageContent>> FetchAsync(int messageNumber, CancellationToken cancellationToken)
    {
        var (piece, status) = await UsableAsync(messageNumber, cancellationToken);
        if (piece is null)
        {
            return MaildropResult<MessageContent>.Fail(status);
        }
        var entry = piece.Entry(messageNumber);
        return MaildropResult<MessageContent>.Ok(new MessageContent(entry.Size, ct => _bodies.OpenReadAsync(Name, entry.BodyId, ct)));
    }

    public async Task<MaildropStatus> DeleteAsync(int messageNumber, CancellationToken cancellationToken)
    {
        var (piece, status) = await UsableAsync(messageNumber, cancellationToken);
        if (piece is not null)
        {
            _marks[(messageNumber - 1) >> 3] |= (byte)(1 << ((messageNumber - 1) & 7));
            _markedCount++;
            _markedOctets += piece.Size(messageNumber);
        }
        return status;
    }

    public Task<MaildropStatus> ResetAsync(CancellationToken cancellationToken)
    {
        Array.Clear(_marks);
        _markedCount = 0;
        _markedOctets = 0;
        return Task.FromResult(_lost ? MaildropStatus.SessionLost : MaildropStatus.Ok);
    }

    public Task<MaildropStatus> KeepAliveAsync(CancellationToken cancellationToken) =>
        StatusCallAsync("NOOP", () => _grain.Renew(_sessionId), cancellationToken);

    public async Task<MaildropResult<int>> CommitAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return MaildropResult<int>.Fail(MaildropStatus.SessionLost);
        }
        _renewal.Dispose();
        _sessions?.Remove(_sessionId);
        var marked = new MessageMarks(_marks.AsSpan(0, Array.FindLastIndex(_marks, b => b != 0) + 1).ToArray());
        var started = _time.GetTimestamp();
        for (var attempt = 0; ; attempt++)
        {
            CommitResult? commit = null;
            try
            {
                commit = await _grain.CommitMarks(_sessionId, marked).WaitAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                RecordCallFailure("QUIT", e);
            }
            if (commit is not null && commit.Status != MailboxStatus.OutcomeUnknown)
            {
                if (commit.Status == MailboxStatus.SessionLost && attempt > 0)
                {
                    // After an attempt whose outcome was unknown, a lost session means that attempt did not commit
                    // (a commit that landed is recognized by its session id), so nothing was deleted.
                    return _markedCount == 0 ? MaildropResult<int>.Ok(0) : MaildropResult<int>.Fail(MaildropStatus.Unavailable);
                }
                return Result(commit.Status, commit.Deleted);
            }
            if (attempt >= CommitRetryDelays.Length || _time.GetElapsedTime(started) > CommitRetryBudget)
            {
                return MaildropResult<int>.Fail(_markedCount == 0 ? MaildropStatus.Unavailable : MaildropStatus.OutcomeUnknown);
            }
            await Task.Delay(CommitRetryDelays[attempt], _time, cancellationToken);
        }
    }

    public async Task ReleaseAsync()
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }
        _renewal.Dispose();
        _sessions?.Remove(_sessionId);
        try
        {
            await _grain.Release(_sessionId);
        }
        catch (Exception e)
        {
            // The lease runs out by itself; nothing was deleted.
            FrontendLog.ClusterCallFailed(_logger, "release", e);
        }
    }

    private async Task RenewLeaseAsync()
    {
        while (await _renewal.WaitForNextTickAsync())
        {
            if (await KeepAliveAsync(CancellationToken.None) == MaildropStatus.SessionLost)
            {
                End(SessionEndReason.Lost);
                return;
            }
        }
    }

    /// <summary>Ends the session from outside: every later command fails and the connection is told why.</summary>
    private void End(SessionEndReason reason)
    {
        _lost = true;
        _onSessionEnd(reason);
    }

    /// <summary>Whether message <paramref name="number"/> of the snapshot can be used.</summary>
    private MaildropStatus Check(int number) =>
        _lost ? MaildropStatus.SessionLost
        : number < 1 || number > _count ? MaildropStatus.NoSuchMessage
        : IsMarked(number) ? MaildropStatus.MessageDeleted
        : MaildropStatus.Ok;

    private bool IsMarked(int number) => (_marks[(number - 1) >> 3] & (1 << ((number - 1) & 7))) != 0;

    /// <summary>The piece holding message <paramref name="number"/> when the message can be used (read if need be); the reason otherwise.</summary>
    private async Task<(SnapshotCache.Piece? Piece, MaildropStatus Status)> UsableAsync(int number, CancellationToken cancellationToken)
    {
        var status = Check(number);
        if (status != MaildropStatus.Ok)
        {
            return (null, status);
        }
        if (_pieces.Cached(number) is { } cached)
        {
            return (cached, MaildropStatus.Ok);
        }
        var (piece, read) = await CallAsync("snapshot", () => _pieces.GetAsync(number, cancellationToken),
            ((SnapshotCache.Piece?)null, MailboxStatus.StorageUnavailable), cancellationToken);
        return (piece, piece is null ? Map(read) : MaildropStatus.Ok);
    }

    /// <summary>
    /// The visible messages in order, piece by piece, the next piece read while one is written; a piece that cannot
    /// be read ends the listing with a <see cref="MaildropException"/> (the reply is under way, so the connection
    /// ends; the session is left to it).
    /// </summary>
    private async IAsyncEnumerable<MessageListing> ListingsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var first = 1; first <= _count; first += _pieces.PieceMessages)
        {
            SnapshotCache.Piece? piece;
            MailboxStatus status;
            try
            {
                (piece, status) = await _pieces.GetAsync(first, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                RecordCallFailure("snapshot", e);
                throw new MaildropException(MaildropStatus.Unavailable);
            }
            if (piece is null || _lost)
            {
                throw new MaildropException(_lost ? MaildropStatus.SessionLost : Map(status));
            }
            _pieces.Prefetch(first + piece.Count, cancellationToken);
            for (var number = first; number < first + piece.Count; number++)
            {
                if (!IsMarked(number))
                {
                    var entry = piece.Entry(number);
                    yield return new MessageListing(number, entry.Size, entry.Uidl);
                }
            }
        }
    }

    private Task<MaildropStatus> StatusCallAsync(string operation, Func<Task<MailboxStatus>> call, CancellationToken cancellationToken) =>
        CallAsync(operation, async () => Map(await call()), MaildropStatus.Unavailable, cancellationToken);

    private async Task<T> CallAsync<T>(string operation, Func<Task<T>> call, T unavailable, CancellationToken cancellationToken)
    {
        try
        {
            return await call().WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            RecordCallFailure(operation, e);
            // The call's outcome is unknown and the grain may have lost the session with its silo: end the session.
            _onSessionEnd(SessionEndReason.Lost);
            return unavailable;
        }
    }

    private void RecordCallFailure(string operation, Exception e)
    {
        FrontendLog.ClusterCallFailed(_logger, operation, e);
        FrontendTelemetry.StorageErrors.Add(1, new KeyValuePair<string, object?>("operation", operation));
    }

    private static MaildropResult<T> Result<T>(MailboxStatus status, T value) =>
        status == MailboxStatus.Ok ? MaildropResult<T>.Ok(value) : MaildropResult<T>.Fail(Map(status));

    private static MaildropStatus Map(MailboxStatus status) => status switch
    {
        MailboxStatus.Ok => MaildropStatus.Ok,
        MailboxStatus.NoSuchMessage => MaildropStatus.NoSuchMessage,
        MailboxStatus.MessageDeleted => MaildropStatus.MessageDeleted,
        MailboxStatus.SessionLost or MailboxStatus.InUse or MailboxStatus.NoSuchMailbox => MaildropStatus.SessionLost,
        _ => MaildropStatus.Unavailable,
    };
}
