using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Frontend.Pop3;
using Pop3Gateway.Frontend.Security;
using Pop3Gateway.Frontend.Sessions;
using Pop3Gateway.Abstractions.Frontends;

namespace Pop3Gateway.Frontend.Backend;

/// <summary>
/// Makes the <see cref="GrainPop3Backend"/> of each POP3 connection; holds what all of them share
/// (the cluster, the body store, the lock settings, the limits, the clock, the open sessions). One per front-end.
/// </summary>
/// <param name="sessions">This front-end's sessions and liveness; without it leases name no front-end and only their own lease frees them.</param>
public sealed class Pop3BackendFactory(
    IGrainFactory grains,
    IBodyStore bodies,
    IOptions<Pop3ServerOptions> options,
    ConnectionSecurity security,
    TimeProvider time,
    ILogger<GrainPop3Backend> logger,
    FrontendSessions? sessions = null)
{
    internal IGrainFactory Grains { get; } = grains;

    internal IBodyStore Bodies { get; } = bodies;

    internal LockPolicy LockPolicy { get; } = options.Value.LockPolicy;

    /// <summary>How often a session renews its backstop lease; the front-end's heartbeat keeps it alive in between.</summary>
    internal TimeSpan SessionRenewInterval { get; } = (sessions?.Options ?? new SessionLivenessOptions()).SessionRenewInterval;

    internal FrontendSessions? Sessions { get; } = sessions;

    internal ConnectionLimiter Limiter { get; } = security.Limiter;

    internal TimeProvider Time { get; } = time;

    internal ILogger Logger { get; } = logger;

    /// <param name="client">Who is connecting: the lock holder's name, the brute-force defence.</param>
    /// <param name="onSessionEnd">Called when the session must end from outside: its lease was lost, a cluster call failed, an operator ended it, or the front-end fenced itself.</param>
    /// <param name="isTls">Whether the connection is TLS now (it may start after STLS).</param>
    public GrainPop3Backend Create(AdmittedClient client, Action<SessionEndReason> onSessionEnd, Func<bool> isTls) =>
        new(this, client, onSessionEnd, isTls);
}
