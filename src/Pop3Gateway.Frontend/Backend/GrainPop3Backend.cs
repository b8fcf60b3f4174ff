using Microsoft.Extensions.Logging;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Frontend.Telemetry;
using Pop3Gateway.Protocol.Backend;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Frontend.Backend;

/// <summary>
/// Logs a POP3 user in through the account grain and opens the mailbox grain's session.
/// One instance per connection: it knows who is connecting, for the lock holder.
/// </summary>
public sealed class GrainPop3Backend(
    IGrainFactory grains,
    IBodyStore bodies,
    LockPolicy lockPolicy,
    TimeSpan leaseRenewInterval,
    string holder,
    Action onSessionLost,
    ILogger logger) : IPop3Backend
{
    public async Task<LoginResult> LoginAsync(Pop3UserName user, string password, CancellationToken cancellationToken)
    {
        var result = await LoginCoreAsync(user, password, cancellationToken);
        FrontendTelemetry.RecordLogin("password", result.Failure switch
        {
            LoginFailure.None => "ok",
            LoginFailure.Credentials => "auth",
            LoginFailure.InUse => "in_use",
            _ => "unavailable",
        });
        if (result.Failure == LoginFailure.InUse)
        {
            FrontendTelemetry.InUseRefusals.Add(1);
        }
        return result;
    }

    private async Task<LoginResult> LoginCoreAsync(Pop3UserName user, string password, CancellationToken cancellationToken)
    {
        if (!MailboxNames.TryNormalize(user.Login, out var login, out _))
        {
            return LoginResult.Fail(LoginFailure.Credentials);
        }
        try
        {
            var auth = await grains.GetGrain<IAccountGrain>(login).Authenticate(password).WaitAsync(cancellationToken);
            if (auth.Status == AuthStatus.StorageUnavailable)
            {
                return LoginResult.Fail(LoginFailure.Unavailable);
            }
            if (auth.Status != AuthStatus.Ok || auth.Mailbox is null || !TryChooseMailbox(user, auth, out var mailbox))
            {
                return LoginResult.Fail(LoginFailure.Credentials);
            }
            var lease = new SessionLease(Guid.NewGuid(), holder);
            var grain = grains.GetGrain<IMailboxGrain>(mailbox);
            var opened = await grain.Open(lease, lockPolicy).WaitAsync(cancellationToken);
            return opened.Status switch
            {
                MailboxStatus.Ok => LoginResult.Success(
                    new GrainMaildrop(mailbox, grain, lease.SessionId, bodies, leaseRenewInterval, onSessionLost, logger)),
                MailboxStatus.InUse => LoginResult.Fail(LoginFailure.InUse),
                MailboxStatus.NoSuchMailbox => LoginResult.Fail(LoginFailure.Credentials),
                _ => LoginResult.Fail(LoginFailure.Unavailable),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            FrontendLog.ClusterCallFailed(logger, "login", e);
            FrontendTelemetry.StorageErrors.Add(1, new KeyValuePair<string, object?>("operation", "login"));
            return LoginResult.Fail(LoginFailure.Unavailable);
        }
    }

    private static bool TryChooseMailbox(Pop3UserName user, AuthResult auth, out string mailbox)
    {
        mailbox = auth.Mailbox!;
        if (user.MailboxAlias is null)
        {
            return true;
        }
        if (!MailboxNames.TryNormalize(user.MailboxAlias, out var alias, out _))
        {
            return false;
        }
        mailbox = alias;
        return alias == auth.Mailbox || auth.GrantedMailboxes.Contains(alias);
    }
}
