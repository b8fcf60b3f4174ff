namespace Pop3Gateway.Frontend.Security;

/// <summary>
/// A connection that passed <see cref="ConnectionAdmissionMiddleware"/>: the address it counts under
/// (from a PROXY header when there is one) and its brute-force defence. A connection feature.
/// </summary>
/// <param name="Address">The client address as text, or <c>local</c> for a connection without an IP end point.</param>
/// <param name="IsTrusted">The client is in <c>Security:TrustedNetworks</c>: cleartext logins, no delays or bans.</param>
/// <param name="AcceptedAt">When the connection was accepted (a <see cref="TimeProvider"/> timestamp): the login deadline runs from here.</param>
public sealed record AdmittedClient(string Address, bool IsTrusted, LoginGuard Guard, long AcceptedAt);
