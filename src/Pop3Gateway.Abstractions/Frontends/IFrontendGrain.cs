namespace Pop3Gateway.Abstractions.Frontends;

/// <summary>
/// The liveness record of one front-end process (key: <see cref="FrontendIds"/>): the front-end beats it every
/// <see cref="SessionLivenessOptions.HeartbeatInterval"/> and hands it the observer that lists and ends its
/// sessions. Mailbox grains ask it whether the holder of a lease is still alive. Lives in memory only.
/// </summary>
[Alias("Pop3Gateway.IFrontendGrain")]
public interface IFrontendGrain : IGrainWithStringKey
{
    /// <summary>The front-end is alive; <paramref name="observer"/> reaches its open sessions.</summary>
    [Alias("Beat")] Task Beat(IFrontendObserver observer);

    /// <summary>
    /// False once the front-end has not beaten for <see cref="SessionLivenessOptions.FrontendLease"/>; an
    /// activation that has seen no beat yet gives it that long from activation.
    /// </summary>
    [Alias("IsAlive")] Task<bool> IsAlive();

    /// <summary>
    /// Whether the session of a lease naming this front-end still lives there: <see cref="SessionPresence.FrontendDead"/>
    /// when the front-end is not alive, else what its observer says (<see cref="SessionPresence.Open"/> when it does not
    /// answer in time).
    /// </summary>
    [Alias("FindSession")] Task<SessionPresence> FindSession(Guid sessionId);

    /// <summary>The front-end's open sessions (empty when it is not alive or does not answer); admin only.</summary>
    [Alias("ListSessions")] Task<IReadOnlyList<OpenSession>> ListSessions();

    /// <summary>Ends the session at once, without committing; false when the front-end does not have it.</summary>
    [Alias("EndSession")] Task<bool> EndSession(Guid sessionId);
}
