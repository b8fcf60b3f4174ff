using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Security;

namespace Pop3Gateway.Grains.Accounts;

/// <summary>POP3 logins in one call from the front-end: the credentials, the mailbox choice and the open session.</summary>
public sealed partial class AccountGrain
{
    public async Task<LoginReply> SignIn(string password, LoginTarget target)
    {
        var auth = directory.IsEnabled
            ? await AuthenticateWithDirectoryAsync(password, target.MailboxAlias)
            : await AuthenticateAndUpgradeAsync(password);
        return await CountedAsync(await OpenAfter(auth, target, null), target);
    }

    public async Task<LoginReply> SignInScram(string authMessage, byte[] clientProof, LoginTarget target)
    {
        if (directory.IsEnabled)
        {
            // A directory keeps no SCRAM keys; the front-end does not offer the mechanism.
            return LoginReply.Failed;
        }
        var result = AuthenticateScram(authMessage, clientProof);
        return await CountedAsync(await OpenAfter(result.Auth, target, result.ServerSignature), target);
    }

    /// <summary>
    /// Whether the account's failure delay (its <see cref="ILoginThrottleGrain"/>, counted by the front-ends)
    /// may be above zero: after a failed sign-in, a SCRAM salt handed out (an exchange never proven is counted as a
    /// failure), and from activation on (failures may have been counted before it). A throttled success resets
    /// the delay only then, so a login that follows no failure makes no throttle call.
    /// </summary>
    private bool _failuresMayBeCounted = true;

    private async Task<LoginReply> CountedAsync(LoginReply reply, LoginTarget target)
    {
        if (reply.Status is AuthStatus.Busy or AuthStatus.StorageUnavailable)
        {
            // Nothing was decided, and the front-end counts nothing.
            return reply;
        }
        if (reply.Status != AuthStatus.Ok)
        {
            _failuresMayBeCounted = true;
            return reply;
        }
        if (target.Throttled && _failuresMayBeCounted)
        {
            try
            {
                // Bounded: a throttle grain on a silo that is dying must not hold up a good login (the session is open).
                await GrainFactory.GetGrain<ILoginThrottleGrain>(ILoginThrottleGrain.ForAccount(Login)).RecordSuccess().WaitAsync(ResetWait);
                _failuresMayBeCounted = false;
            }
            catch (Exception e)
            {
                // The delay stays until the next success; the login itself is good.
                logger.StorageFailed(e, "resetting the failure delay of", Login);
            }
        }
        return reply;
    }

    /// <summary>How long a successful login waits for the account's failure delay to be reset.</summary>
    private static readonly TimeSpan ResetWait = TimeSpan.FromSeconds(1);

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
