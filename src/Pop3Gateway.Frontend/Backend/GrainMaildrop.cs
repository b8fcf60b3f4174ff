using Microsoft.Extensions.Logging;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Frontends;
using Pop3Gateway.Frontend.Sessions;
using Pop3Gateway.Frontend.Telemetry;
using Pop3Gateway.Protocol.Backend;

namespace Pop3Gateway.Frontend.Backend;

/// <summary>
/// A logged-in session's mailbox, served from the snapshot the login returned: STAT, LIST, UIDL,
/// RETR, TOP, DELE and RSET need no grain call (bodies are read from the body store directly, the
/// delete marks are kept here). NOOP renews the lease and QUIT commits the marks, one mailbox-grain
/// call each; the grain commits them only while this session still holds the lease, so a session
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
    private readonly SessionSnapshot _snapshot;
    private readonly int[] _starts;
    private readonly IBodyStore _bodies;
    private readonly TimeProvider _time;
    private readonly Action<SessionEndReason> _onSessionEnd;
    private readonly FrontendSessions? _sessions;
    private readonly ILogger _logger;
    /// <summary>Disposed when the session ends: the renewal loop then stops without an exception.</summary>
    private readonly PeriodicTimer _renewal;
    private readonly HashSet<int> _marks = [];
    private long _markedOctets;
    private int _ended;
    private volatile bool _lost;

    internal GrainMaildrop(IMailboxGrain grain, OpenSession session, SessionSnapshot snapshot, Pop3BackendFactory shared,
        Action<SessionEndReason> onSessionEnd)
    {
        Name = session.Mailbox;
        _grain = grain;
        _sessionId = session.SessionId;
        _snapshot = snapshot;
        _starts = SnapshotEntries.Index(snapshot.Entries, snapshot.MessageCount);
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

    public Task<MaildropResult<MaildropStat>> StatAsync(CancellationToken cancellationToken) =>
        Task.FromResult(_lost
            ? MaildropResult<MaildropStat>.Fail(MaildropStatus.SessionLost)
            : MaildropResult<MaildropStat>.Ok(new MaildropStat(_snapshot.MessageCount - _marks.Count, _snapshot.Octets - _markedOctets)));

    public Task<MaildropResult<IReadOnlyList<MessageListing>>> ListAsync(int? messageNumber, CancellationToken cancellationToken)
    {
        if (messageNumber is { } number)
        {
            var status = Check(number);
            return Task.FromResult(status == MaildropStatus.Ok
                ? MaildropResult<IReadOnlyList<MessageListing>>.Ok([Listing(number)])
                : MaildropResult<IReadOnlyList<MessageListing>>.Fail(status));
        }
        if (_lost)
        {
            return Task.FromResult(MaildropResult<IReadOnlyList<MessageListing>>.Fail(MaildropStatus.SessionLost));
        }
        var items = new MessageListing[_snapshot.MessageCount - _marks.Count];
        var next = 0;
        for (var n = 1; n <= _snapshot.MessageCount; n++)
        {
            if (!_marks.Contains(n))
            {
                items[next++] = Listing(n);
            }
        }
        return Task.FromResult(MaildropResult<IReadOnlyList<MessageListing>>.Ok(items));
    }

    public Task<MaildropResult<MessageContent>> FetchAsync(int messageNumber, CancellationToken cancellationToken)
    {
        var status = Check(messageNumber);
        if (status != MaildropStatus.Ok)
        {
            return Task.FromResult(MaildropResult<MessageContent>.Fail(status));
        }
        var entry = Entry(messageNumber);
        return Task.FromResult(MaildropResult<MessageContent>.Ok(
            new MessageContent(entry.Size, ct => _bodies.OpenReadAsync(Name, entry.BodyId, ct))));
    }

    public Task<MaildropStatus> DeleteAsync(int messageNumber, CancellationToken cancellationToken)
    {
        var status = Check(messageNumber);
        if (status == MaildropStatus.Ok)
        {
            _marks.Add(messageNumber);
            _markedOctets += SnapshotEntries.ReadSize(_snapshot.Entries, _starts[messageNumber - 1]);
        }
        return Task.FromResult(status);
    }

    public Task<MaildropStatus> ResetAsync(CancellationToken cancellationToken)
    {
        _marks.Clear();
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
        var marked = _marks.ToArray();
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
                    return marked.Length == 0 ? MaildropResult<int>.Ok(0) : MaildropResult<int>.Fail(MaildropStatus.Unavailable);
                }
                return Result(commit.Status, commit.Deleted);
            }
            if (attempt >= CommitRetryDelays.Length || _time.GetElapsedTime(started) > CommitRetryBudget)
            {
                return MaildropResult<int>.Fail(marked.Length == 0 ? MaildropStatus.Unavailable : MaildropStatus.OutcomeUnknown);
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
        : number < 1 || number > _snapshot.MessageCount ? MaildropStatus.NoSuchMessage
        : _marks.Contains(number) ? MaildropStatus.MessageDeleted
        : MaildropStatus.Ok;

    private MessageEntry Entry(int number) => SnapshotEntries.Read(_snapshot.Entries, _starts[number - 1]);

    private MessageListing Listing(int number)
    {
        var entry = Entry(number);
        return new MessageListing(number, entry.Size, entry.Uidl);
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
