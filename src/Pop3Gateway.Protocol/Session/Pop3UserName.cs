namespace Pop3Gateway.Protocol.Session;

/// <summary>
/// A POP3 user name: <c>login</c>, <c>domain\login</c>, <c>login\alias</c> or
/// <c>domain\login\alias</c> (the Exchange form for opening a granted mailbox).
/// </summary>
public sealed record Pop3UserName(string? Domain, string Login, string? MailboxAlias)
{
    public static bool TryParse(string value, out Pop3UserName? name, out string error)
    {
        throw new NotImplementedException();
    }
}
