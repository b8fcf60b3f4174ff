using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Frontend.Pop3;
using Pop3Gateway.Frontend.Security;

namespace Pop3Gateway.Frontend.Backend;

/// <summary>
/// Makes the <see cref="GrainPop3Backend"/> of each POP3 connection; holds what all of them share
/// (the cluster, the body store, the lock settings, the limits, the clock). One per front-end.
/// </summary>
public sealed class Pop3BackendFactory(
    IGrainFactory grains,
    IBodyStore bodies,
    IOptions<Pop3ServerOptions> options,
    ConnectionSecurity security,
    TimeProvider time,
    ILogger<GrainPop3Backend> logger)
{
    internal IGrainFactory Grains { get; } = grains;

    internal IBodyStore Bodies { get; } = bodies;

    internal LockPolicy LockPolicy { get; } = options.Value.LockPolicy;

    internal TimeSpan LeaseRenewInterval { get; } = options.Value.LeaseRenewInterval;

    internal ConnectionLimiter Limiter { get; } = security.Limiter;

    internal TimeProvider Time { get; } = time;

    internal ILogger Logger { get; } = logger;

    /// <param name="client">Who is connecting: the lock holder's name, the brute-force defence.</param>
    /// <param name="onSessionLost">Called when the mailbox lease is lost or a cluster call fails mid-session.</param>
    public GrainPop3Backend Create(AdmittedClient client, Action onSessionLost) =>
        new(this, $"{client.Address} via {Environment.MachineName}", client.Guard, onSessionLost);
}
