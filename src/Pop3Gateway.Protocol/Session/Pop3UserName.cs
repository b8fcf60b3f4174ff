using System.Diagnostics.CodeAnalysis;

namespace Pop3Gateway.Protocol.Session;

/// <summary>
/// A POP3 user name: <c>login</c>, <c>domain\login</c>, <c>login\alias</c> or
/// <c>domain\login\alias</c> (the Exchange form for opening a granted mailbox).
/// </summary>
/// <remarks>
/// The two-part form <c>a\b</c> is ambiguous. It is read as <c>domain\login</c> when the
/// first part contains a dot (<c>example.com\alice</c>) or is one of the configured NetBIOS
/// domains, compared ignoring case (<c>CORP\alice</c> with <c>CORP</c> configured), and as
/// <c>login\alias</c> otherwise (<c>alice\sales</c>; also <c>CORP\alice</c> when <c>CORP</c> is
/// not configured). Three parts are always <c>domain\login\alias</c>.
/// </remarks>
public sealed record Pop3UserName(string? Domain, string Login, string? MailboxAlias)
{
    public const char Separator = '\\';

    /// <summary>Parses <paramref name="value"/> with no NetBIOS domains configured: only a dotted first part is a domain.</summary>
    public static bool TryParse(string value, [NotNullWhen(true)] out Pop3UserName? name, out string error)
        => TryParse(value, [], out name, out error);

    /// <summary>Parses <paramref name="value"/>; a two-part name whose first part is in <paramref name="netbiosDomains"/> (any case) is <c>domain\login</c>.</summary>
    public static bool TryParse(string value, IReadOnlyCollection<string> netbiosDomains, [NotNullWhen(true)] out Pop3UserName? name, out string error)
    {
        name = null;
        if (value.Length == 0)
        {
            error = "empty";
            return false;
        }

        var parts = value.Split(Separator);
        if (parts.Length > 3)
        {
            error = "too many parts";
            return false;
        }

        if (Array.Exists(parts, part => part.Length == 0))
        {
            error = "empty part";
            return false;
        }

        error = string.Empty;
        name = parts switch
        {
            [var login] => new Pop3UserName(null, login, null),
            [var domain, var login] when IsDomain(domain, netbiosDomains) => new Pop3UserName(domain, login, null),
            [var login, var alias] => new Pop3UserName(null, login, alias),
            [var domain, var login, var alias] => new Pop3UserName(domain, login, alias),
            _ => null,
        };
        return name is not null;
    }

    private static bool IsDomain(string part, IReadOnlyCollection<string> netbiosDomains)
        => part.Contains('.') || netbiosDomains.Contains(part, StringComparer.OrdinalIgnoreCase);

    public override string ToString()
        => string.Join(Separator, new[] { Domain, Login, MailboxAlias }.Where(part => part is not null));
}
