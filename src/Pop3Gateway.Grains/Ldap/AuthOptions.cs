using System.ComponentModel.DataAnnotations;
using Pop3Gateway.Abstractions.Configuration;

namespace Pop3Gateway.Grains.Ldap;

/// <summary>Which store checks POP3 passwords (configuration section <c>Auth</c>).</summary>
public enum AuthBackend
{
    /// <summary>Accounts made with <c>pop3gw account add/import</c>.</summary>
    Builtin,

    /// <summary>An LDAP directory or Active Directory, search-then-bind (section <c>Auth:Ldap</c>).</summary>
    Ldap,
}

/// <summary>Configuration section <c>Auth</c>. Every role reads it: the silo checks passwords, the front-end chooses the SASL offer.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Which store checks POP3 passwords: <c>Builtin</c> accounts or an <c>Ldap</c> directory.</summary>
    public AuthBackend Backend { get; set; } = AuthBackend.Builtin;

    /// <summary>The directory, when <see cref="Backend"/> is <c>Ldap</c>.</summary>
    public LdapOptions Ldap { get; set; } = new();
}

/// <summary>Configuration section <c>Auth:Ldap</c>.</summary>
public sealed class LdapOptions
{
    /// <summary>Matches a login against OpenLDAP's <c>uid</c> and Active Directory's <c>sAMAccountName</c> and <c>userPrincipalName</c>.</summary>
    public const string DefaultSearchFilter = "(|(uid={user})(sAMAccountName={user})(userPrincipalName={login}))";

    /// <summary>Active Directory's ACCOUNTDISABLE bit (0x2) of <c>userAccountControl</c>, tested with the bitwise-AND matching rule.</summary>
    public const string DefaultDisabledFilter = "(userAccountControl:1.2.840.113556.1.4.803:=2)";

    /// <summary><c>ldap://host[:port]</c> or <c>ldaps://host[:port]</c>.</summary>
    public string Url { get; set; } = "";

    /// <summary>Upgrade an <c>ldap://</c> connection with StartTLS before anything is sent (RFC 4513 section 3).</summary>
    public bool StartTls { get; set; }

    /// <summary>A PEM file or a directory of PEM files with the CA certificates the server's certificate must chain to; empty: the system's.</summary>
    public string CaPath { get; set; } = "";

    /// <summary>The service account the search runs as; empty: an anonymous search.</summary>
    public string BindDn { get; set; } = "";

    /// <summary>The service account's password.</summary>
    public string BindPassword { get; set; } = "";

    /// <summary>A file holding the service account's password (a mounted secret); wins over <see cref="BindPassword"/>.</summary>
    public string BindPasswordFile { get; set; } = "";

    /// <summary>The entry under which users (and delegation groups) are searched.</summary>
    public string SearchBase { get; set; } = "";

    /// <summary>
    /// NetBIOS domain names (e.g. <c>CORP</c>, any case) that front-ends read as the domain of a two-part
    /// login <c>CORP\alice</c>; a dotted domain needs no entry. Empty: <c>CORP\alice</c> is login <c>corp</c>
    /// opening mailbox <c>alice</c>.
    /// </summary>
    public string[] Domains { get; set; } = [];

    /// <summary>
    /// Finds the user's entry. <c>{login}</c> is the login as typed (<c>alice</c> or <c>alice@example.com</c>),
    /// <c>{user}</c> the part before any <c>@</c>; both are escaped (RFC 4515 section 3).
    /// </summary>
    public string SearchFilter { get; set; } = DefaultSearchFilter;

    /// <summary>Attribute naming the user's own mailbox; empty: the login is the mailbox name.</summary>
    public string MailboxAttribute { get; set; } = "";

    /// <summary>An entry matching this filter is refused, like a wrong password; empty: none is.</summary>
    public string DisabledFilter { get; set; } = DefaultDisabledFilter;

    /// <summary>
    /// Attribute listing the mailboxes the user may open as <c>login\mailbox</c>: read from the user's entry,
    /// or from every group matching <see cref="DelegationGroupFilter"/>; empty: the directory grants none.
    /// </summary>
    public string DelegationAttribute { get; set; } = "";

    /// <summary>
    /// Finds the groups that grant mailboxes, under <see cref="SearchBase"/>: <c>{dn}</c> is the user's entry
    /// (escaped), e.g. <c>(&amp;(objectClass=groupOfNames)(member={dn}))</c>; empty: the user's entry is read.
    /// </summary>
    public string DelegationGroupFilter { get; set; } = "";

    /// <summary>How long to wait for the server to accept a connection.</summary>
    [Positive]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one search or bind may take before the login is answered <c>[SYS/TEMP]</c>.</summary>
    [Positive]
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Service connections kept open per silo (each runs one search at a time).</summary>
    [Positive]
    public int PoolSize { get; set; } = 4;

    /// <summary>
    /// Logins that may wait for one of the <see cref="PoolSize"/> checks running at once before further ones are answered
    /// <c>[SYS/TEMP]</c>: at about 20 ms per search and bind, 256 behind 4 wait about 1.3 s.
    /// </summary>
    [Range(0, 10_000, ErrorMessage = "{0} must be between {1} and {2}")]
    public int QueueLength { get; set; } = 256;
}
