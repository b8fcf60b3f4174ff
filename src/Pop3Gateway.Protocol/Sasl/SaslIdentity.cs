using System.Diagnostics.CodeAnalysis;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.Sasl;

/// <summary>Maps SASL identities to a POP3 user name.</summary>
internal static class SaslIdentity
{
    /// <summary>
    /// The authentication identity is parsed like a USER argument; an authorization identity
    /// that differs from it names a granted mailbox, as <c>login\alias</c> does.
    /// </summary>
    public static bool TryResolve(
        string authenticationId, string? authorizationId, IReadOnlyList<string> netbiosDomains, [NotNullWhen(true)] out Pop3UserName? user)
    {
        if (!Pop3UserName.TryParse(authenticationId, netbiosDomains, out user, out _))
        {
            return false;
        }

        if (string.IsNullOrEmpty(authorizationId) || authorizationId == authenticationId)
        {
            return true;
        }

        if (user.MailboxAlias is not null || authorizationId.Contains(Pop3UserName.Separator))
        {
            user = null;
            return false;
        }

        user = user with { MailboxAlias = authorizationId };
        return true;
    }
}
