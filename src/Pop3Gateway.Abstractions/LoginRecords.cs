namespace Pop3Gateway.Abstractions;

/// <summary>
/// What a POP3 login wants opened once the credentials check out: the account's own mailbox, or
/// the granted one named by <see cref="MailboxAlias"/>. Without a <see cref="Lease"/> nothing is
/// opened (the front-end refuses the session anyway, for instance at its per-account limit).
/// <see cref="Throttled"/>: the front-end counts this client's failed logins against the account
/// (it is not in <c>Security:TrustedNetworks</c>), so a success resets the account's delay.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LoginTarget(
    [property: Id(0)] string? MailboxAlias,
    [property: Id(1)] SessionLease? Lease,
    [property: Id(2)] LockPolicy Policy,
    [property: Id(3)] bool Throttled = false);

/// <summary>
/// A login in one call: the credential outcome, the mailbox chosen and, when a lease was asked
/// for and the credentials were good, the opened session with its snapshot.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LoginReply(
    [property: Id(0)] AuthStatus Status,
    [property: Id(1)] string? Mailbox,
    [property: Id(2)] SessionSnapshot? Session,
    [property: Id(3)] byte[]? ServerSignature)
{
    public static readonly LoginReply Failed = new(AuthStatus.Failed, null, null, null);
}
