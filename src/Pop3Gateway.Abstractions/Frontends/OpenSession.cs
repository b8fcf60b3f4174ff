namespace Pop3Gateway.Abstractions.Frontends;

/// <summary>One logged-in POP3 session as <c>pop3gw who</c> shows it.</summary>
/// <param name="Mailbox">The mailbox it holds.</param>
/// <param name="Login">The account that logged in (differs from the mailbox for a granted mailbox).</param>
/// <param name="ClientAddress">The client address (from the PROXY header when there is one).</param>
/// <param name="Frontend">The front-end serving it (<see cref="FrontendIds"/>).</param>
/// <param name="Started">When the login succeeded.</param>
/// <param name="Tls">The connection is TLS (implicit or after STLS).</param>
[GenerateSerializer, Immutable]
public sealed record OpenSession(
    [property: Id(0)] Guid SessionId,
    [property: Id(1)] string Mailbox,
    [property: Id(2)] string Login,
    [property: Id(3)] string ClientAddress,
    [property: Id(4)] string Frontend,
    [property: Id(5)] DateTimeOffset Started,
    [property: Id(6)] bool Tls);
