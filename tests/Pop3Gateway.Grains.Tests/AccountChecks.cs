using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Tests;

/// <summary>Credential checks through the one-call login with no lease: the reply says who logged in, nothing is opened.</summary>
internal static class AccountChecks
{
    public static Task<LoginReply> CheckPassword(this IAccountGrain account, string password, string? mailboxAlias = null) =>
        account.SignIn(password, new LoginTarget(mailboxAlias, null, LockPolicy.Exclusive));

    public static Task<LoginReply> CheckScram(this IAccountGrain account, string authMessage, byte[] clientProof) =>
        account.SignInScram(authMessage, clientProof, new LoginTarget(null, null, LockPolicy.Exclusive));
}
