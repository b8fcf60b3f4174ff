namespace Pop3Gateway.Abstractions;

/// <summary>
/// One account (key: its normalized login): the password hash (PBKDF2-SHA256 with a
/// per-account salt, never plaintext), its own mailbox and the mailboxes granted to it.
/// </summary>
[Alias("Pop3Gateway.IAccountGrain")]
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>Creates the account and its own mailbox (named like the login).</summary>
    [Alias("Create")] Task<AdminResult> Create(string password);

    [Alias("SetPassword")] Task<AdminResult> SetPassword(string password);

    /// <summary>Lets this account open <paramref name="mailbox"/> as <c>login\mailbox</c>.</summary>
    [Alias("Grant")] Task<AdminResult> Grant(string mailbox);

    [Alias("Describe")] Task<AccountInfo?> Describe();

    /// <summary>
    /// A POP3 login in one call: checks the password (as slowly for an unknown account as for a wrong
    /// password), then opens the mailbox session of <paramref name="target"/> on the mailbox grain and
    /// returns its snapshot.
    /// </summary>
    [Alias("SignIn")] Task<LoginReply> SignIn(string password, LoginTarget target);

    /// <summary>
    /// As <see cref="SignIn"/>, with a SCRAM-SHA-256 client proof (RFC 5802 section 3) checked against
    /// the stored keys; a good proof's reply carries the server signature.
    /// </summary>
    [Alias("SignInScram")] Task<LoginReply> SignInScram(string authMessage, byte[] clientProof, LoginTarget target);

    /// <summary>Creates the account, or updates its password and adds addresses; for bulk provisioning.</summary>
    [Alias("Provision")] Task<AdminResult> Provision(ProvisionRequest request);

    /// <summary>Maps a recipient address to this account's mailbox. Idempotent.</summary>
    [Alias("AddAddress")] Task<AdminResult> AddAddress(string address);

    [Alias("RemoveAddress")] Task<AdminResult> RemoveAddress(string address);

    /// <summary>A disabled account cannot log in; its mail is kept and deliveries continue.</summary>
    [Alias("SetDisabled")] Task<AdminResult> SetDisabled(bool disabled);

    /// <summary>Takes back a mailbox granted with <see cref="Grant"/>.</summary>
    [Alias("Revoke")] Task<AdminResult> Revoke(string mailbox);

    /// <summary>
    /// Removes the account and releases its addresses. Refused while its mailbox holds mail
    /// unless <paramref name="keepMail"/>: the mailbox and its mail are never deleted here.
    /// </summary>
    [Alias("Remove")] Task<AdminResult> Remove(bool keepMail);

    /// <summary>
    /// Salt and iterations for a SCRAM-SHA-256 exchange. An unknown account, or one whose password
    /// was set before SCRAM keys were kept, gets made-up ones that stay the same while the silo runs.
    /// </summary>
    [Alias("GetScramChallenge")] Task<Security.ScramChallenge> GetScramChallenge();
}
