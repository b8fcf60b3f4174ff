namespace Pop3Gateway.Abstractions.Frontends;

/// <summary>A front-end's open sessions, reached from its <see cref="IFrontendGrain"/>.</summary>
[Alias("Pop3Gateway.IFrontendObserver")]
public interface IFrontendObserver : IGrainObserver
{
    [Alias("ListSessions")] Task<IReadOnlyList<OpenSession>> ListSessions();

    /// <summary>True while the session is open here or its login call is still under way.</summary>
    [Alias("HoldsSession")] Task<bool> HoldsSession(Guid sessionId);

    /// <summary>Tells the client <c>-ERR [SYS/TEMP]</c> and closes the connection; its marks are discarded.</summary>
    [Alias("EndSession")] Task<bool> EndSession(Guid sessionId);
}
