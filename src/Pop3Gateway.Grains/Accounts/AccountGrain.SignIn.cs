using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Accounts;

/// <summary>POP3 logins in one call from the front-end: the credentials, the mailbox choice and the open session.</summary>
public sealed partial class AccountGrain
{
    public async Task<LoginReply> SignIn(string password, LoginTarget target)
    {
        var auth = directory.IsEnabled
            ? await AuthenticateWithDirectoryAsync(password, target.MailboxAlias)
            : await AuthenticateAndUpgradeAsync(password);
        return await OpenAfter(auth, target, null);
    }

    public async Task<LoginReply> SignInScram(string authMessage, byte[] clientProof, LoginTarget target)
    {
        if (directory.IsEnabled)
        {
            // A directory keeps no SCRAM keys; the front-end does not offer the mechanism.
            return LoginReply.Failed;
        }
        var result = AuthenticateScram(authMessage, clientProof);
        return await OpenAfter(result.Auth, target, result.ServerSignature);
    }

    /// <summary>
    /// After a good check, opens the session on the mailbox grain (grain to grain, so the front-end
    /// makes one round trip per login). A mailbox that is not the account's own and not granted
    /// fails like a wrong password.
    /// </summary>
    private async Task<LoginReply> OpenAfter(AuthResult auth, LoginTarget target, byte[]? signature)
    {
        if (auth.Status != AuthStatus.Ok || auth.Mailbox is null)
        {
            return auth.Status == AuthStatus.Ok ? LoginReply.Failed : new LoginReply(auth.Status, null, null, null);
        }
        if (!TryChooseMailbox(target.MailboxAlias, auth, out var mailbox))
        {
            return LoginReply.Failed;
        }
        if (target.Lease is not { } lease)
        {
            return new LoginReply(AuthStatus.Ok, mailbox, null, signature);
        }
        SessionSnapshot session;
        try
        {
            session = await GrainFactory.GetGrain<IMailboxGrain>(mailbox).OpenSession(lease, target.Policy);
        }
        catch (Exception e)
        {
            logger.StorageFailed(e, "opening a mailbox session for", Login);
            session = SessionSnapshot.Failed(MailboxStatus.StorageUnavailable);
        }
        return new LoginReply(AuthStatus.Ok, mailbox, session, signature);
    }

    private static bool TryChooseMailbox(string? alias, AuthResult auth, out string mailbox)
    {
        mailbox = auth.Mailbox!;
        if (alias is null)
        {
            return true;
        }
        if (!MailboxNames.TryNormalize(alias, out var normalized, out _))
        {
            return false;
        }
        mailbox = normalized;
        return normalized == auth.Mailbox || auth.GrantedMailboxes.Contains(normalized);
    }
}
