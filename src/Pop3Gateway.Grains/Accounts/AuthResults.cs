using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Accounts;

/// <summary>The outcome of a credential check inside the account grain, before any mailbox is opened.</summary>
internal sealed record AuthResult(AuthStatus Status, string? Mailbox, IReadOnlyList<string> GrantedMailboxes);

/// <summary>The outcome of a SCRAM proof check: the usual auth result, and the server signature on success.</summary>
internal sealed record ScramAuthResult(AuthResult Auth, byte[]? ServerSignature);
