namespace Pop3Gateway.Abstractions.Frontends;

/// <summary>What the front-end named by a lease says of that lease's session (<see cref="IFrontendGrain.FindSession"/>).</summary>
public enum SessionPresence
{
    /// <summary>The session is open, its login is under way, or the front-end could not be asked: the lease holds.</summary>
    Open = 0,

    /// <summary>The front-end beats but has no such session (a login it gave up on, a session it ended): the lease is an orphan.</summary>
    Gone = 1,

    /// <summary>The front-end has stopped beating: every lease naming it is free.</summary>
    FrontendDead = 2,
}
