using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Pop3Gateway.Abstractions.Frontends;

namespace Pop3Gateway.Frontend.Sessions;

/// <summary>
/// This front-end's logged-in sessions, kept here only (no grain call per session): its front-end grain reaches
/// them through this observer for <c>pop3gw who</c> and <c>pop3gw kick</c>. Also the front-end's fence: while
/// its beats fail (<see cref="FrontendHeartbeat"/>) it serves no session, so none outlives the cluster's
/// judgement that this front-end is dead.
/// </summary>
public sealed class FrontendSessions(IOptions<SessionLivenessOptions> options) : IFrontendObserver
{
    private readonly ConcurrentDictionary<Guid, Registration> _open = new();
    /// <summary>Sessions whose login call is under way: their lease may already be granted.</summary>
    private readonly ConcurrentDictionary<Guid, byte> _opening = new();
    private volatile bool _fenced;

    /// <summary>This process's front-end id: the key of its front-end grain, named by every lease it takes.</summary>
    public string FrontendId { get; } = FrontendIds.New();

    public SessionLivenessOptions Options { get; } = options.Value;

    /// <summary>The beats have failed for too long: sessions were ended and logins wait for a beat.</summary>
    public bool Fenced => _fenced;

    /// <summary>Beats now, for a login arriving while fenced; set by the heartbeat that runs.</summary>
    internal Func<CancellationToken, Task>? BeatNow { get; set; }

    public Task<IReadOnlyList<OpenSession>> ListSessions() =>
        Task.FromResult<IReadOnlyList<OpenSession>>(_open.Values.Select(r => r.Session).OrderBy(s => s.Started).ToList());

    /// <summary>
    /// True for an open session and for one whose login call is under way. False tells a mailbox grain that a lease
    /// naming this session is an orphan: granted after this front-end gave up on the login (timeout, client gone),
    /// or left behind by a release that was lost.
    /// </summary>
    public Task<bool> HoldsSession(Guid sessionId) => Task.FromResult(_open.ContainsKey(sessionId) || _opening.ContainsKey(sessionId));

    public Task<bool> EndSession(Guid sessionId)
    {
        if (!_open.TryGetValue(sessionId, out var registration))
        {
            return Task.FromResult(false);
        }
        registration.End(SessionEndReason.Kicked);
        return Task.FromResult(true);
    }

    /// <summary>
    /// Counts a session as held from before its login call until the returned handle is disposed, by which time
    /// <see cref="Add"/> has listed it if the login succeeded.
    /// </summary>
    internal IDisposable Opening(Guid sessionId)
    {
        _opening[sessionId] = 0;
        return new PendingLogin(this, sessionId);
    }

    /// <summary>Lists a session until it is removed; <paramref name="end"/> ends it from outside.</summary>
    internal void Add(OpenSession session, Action<SessionEndReason> end)
    {
        _open[session.SessionId] = new Registration(session, end);
        if (_fenced)
        {
            // Fenced while this login was under way.
            end(SessionEndReason.Fenced);
        }
    }

    internal void Remove(Guid sessionId) => _open.TryRemove(sessionId, out _);

    /// <summary>Ends every session: this front-end may already count as dead, so their leases may be taken.</summary>
    internal void Fence()
    {
        _fenced = true;
        foreach (var registration in _open.Values)
        {
            registration.End(SessionEndReason.Fenced);
        }
    }

    internal void Unfence() => _fenced = false;

    /// <summary>
    /// Whether a login may open a session: true unless fenced and a beat now does not lift the fence.
    /// </summary>
    internal async Task<bool> ReadyAsync(CancellationToken cancellationToken)
    {
        if (_fenced && BeatNow is { } beat)
        {
            await beat(cancellationToken);
        }
        return !_fenced;
    }

    private sealed record Registration(OpenSession Session, Action<SessionEndReason> End);

    private sealed class PendingLogin(FrontendSessions sessions, Guid sessionId) : IDisposable
    {
        public void Dispose() => sessions._opening.TryRemove(sessionId, out _);
    }
}
