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

    /// <summary>Checks a password. Takes as long for an unknown account as for a wrong password.</summary>
    [Alias("Authenticate")] Task<AuthResult> Authenticate(string password);
}
