namespace Pop3Gateway.Abstractions.Frontends;

/// <summary>A front-end's open sessions, reached from its <see cref="IFrontendGrain"/>.</summary>
[Alias("Pop3Gateway.IFrontendObserver")]
public interface IFrontendObserver : IGrainObserver
{
    [Alias("ListSessions")] Task<IReadOnlyList<OpenSession>> ListSessions();

    /// <summary>Tells the client <c>-ERR [SYS/TEMP]</c> and closes the connection; its marks are discarded.</summary>
    [Alias("EndSession")] Task<bool> EndSession(Guid sessionId);
}
