using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Frontend.Pop3;

/// <summary>
/// The time limits of one connection. Before login, <c>Pop3:LoginTimeout</c> is a hard deadline from accept
/// (commands do not extend it); after login, <c>Pop3:IdleTimeout</c> runs from each read. A reply may wait
/// for the client to read it no longer than <c>Pop3:IdleTimeout</c>, nor past the login deadline.
/// </summary>
internal sealed class SessionClock(Pop3ServerOptions options, TimeProvider time, long acceptedAt, Pop3Session session)
{
    private bool LoggingIn => session.State == Pop3State.Authorization;

    private TimeSpan LoginTimeLeft
    {
        get
        {
            var left = options.LoginTimeout - time.GetElapsedTime(acceptedAt);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>The session is still logging in and its time to do so is over.</summary>
    public bool LoginDeadlinePassed => LoggingIn && LoginTimeLeft == TimeSpan.Zero;

    /// <summary>How long the next read may wait for the client.</summary>
    public TimeSpan ReadTimeout() => LoggingIn ? LoginTimeLeft : options.IdleTimeout;

    /// <summary>How long a flush may wait for the client to read.</summary>
    public TimeSpan WriteTimeout() => LoggingIn && LoginTimeLeft < options.IdleTimeout ? LoginTimeLeft : options.IdleTimeout;
}
