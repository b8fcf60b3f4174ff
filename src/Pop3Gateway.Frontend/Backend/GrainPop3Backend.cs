using Microsoft.Extensions.Logging;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Frontend.Security;
using Pop3Gateway.Frontend.Telemetry;
using Pop3Gateway.Protocol.Backend;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Frontend.Backend;

/// <summary>
/// Logs a POP3 user in through the account grain and opens the mailbox grain's session.
/// One instance per connection: it knows who is connecting, for the lock holder, the
/// brute-force defence and the per-account session limit (held until disposed).
/// </summary>
public sealed class GrainPop3Backend(
    IGrainFactory grains,
    IBodyStore bodies,
    LockPolicy lockPolicy,
    TimeSpan leaseRenewInterval,
    string holder,
    Action onSessionLost,
    ILogger logger,
    LoginGuard? guard = null,
    ConnectionLimiter? limiter = null) : IPop3Backend, IDisposable
{
    private IDisposable? _sessionSlot;

    /// <summary>Mechanism tag of password logins (USER/PASS, SASL PLAIN and LOGIN) in the login metric.</summary>
    private const string PasswordMechanism = "password";

    private const string ScramMechanism = "scram-sha-256";

    public Task<LoginResult> LoginAsync(Pop3UserName user, string password, CancellationToken cancellationToken)
        => LoginAsync(user, PasswordMechanism, async login =>
        {
            var auth = await grains.GetGrain<IAccountGrain>(login).Authenticate(password).WaitAsync(cancellationToken);
            return (auth, null);
        }, cancellationToken);

    public async Task<ScramParameters> GetScramParametersAsync(Pop3UserName user, CancellationToken cancellationToken)
    {
        // An unusable login gets the made-up parameters of an unknown account, so nothing tells them apart.
        var login = MailboxNames.TryNormalize(user.Login, out var normalized, out _) ? normalized : "-";
        var challenge = await grains.GetGrain<IAccountGrain>(login).GetScramChallenge().WaitAsync(cancellationToken);
        return new ScramParameters(challenge.Salt, challenge.Iterations);
    }

    public Task<LoginResult> LoginScramAsync(Pop3UserName user, string authMessage, byte[] clientProof, CancellationToken cancellationToken)
        => LoginAsync(user, ScramMechanism, async login =>
        {
            var result = await grains.GetGrain<IAccountGrain>(login).AuthenticateScram(authMessage, clientProof).WaitAsync(cancellationToken);
            return (result.Auth, result.ServerSignature);
        }, cancellationToken);

    public void Dispose() => Interlocked.Exchange(ref _sessionSlot, null)?.Dispose();

    private async Task<LoginResult> LoginAsync(
        Pop3UserName user, string mechanism, Func<string, Task<(AuthResult Auth, byte[]? Signature)>> authenticate, CancellationToken cancellationToken)
    {
        var result = await LoginCoreAsync(user, authenticate, cancellationToken);
        FrontendTelemetry.RecordLogin(mechanism, result.Failure switch
        {
            LoginFailure.None => "ok",
            LoginFailure.Credentials => "auth",
            LoginFailure.InUse => "in_use",
            LoginFailure.Blocked => "blocked",
            LoginFailure.TooManySessions => "limit",
            _ => "unavailable",
        });
        if (result.Failure == LoginFailure.InUse)
        {
            FrontendTelemetry.InUseRefusals.Add(1);
        }
        if (result.Failure == LoginFailure.TooManySessions)
        {
            FrontendTelemetry.LimitsRefused.Add(1, new KeyValuePair<string, object?>("limit", "per_account"));
        }
        return result;
    }

    private async Task<LoginResult> LoginCoreAsync(
        Pop3UserName user, Func<string, Task<(AuthResult Auth, byte[]? Signature)>> authenticate, CancellationToken cancellationToken)
    {
        try
        {
            if (guard is not null && await guard.IsBannedAsync(cancellationToken))
            {
                return LoginResult.Fail(LoginFailure.Blocked);
            }
            if (!MailboxNames.TryNormalize(user.Login, out var login, out _))
            {
                return await FailedAsync(user.Login, cancellationToken);
            }
            var (auth, signature) = await authenticate(login);
            if (auth.Status == AuthStatus.StorageUnavailable)
            {
                return LoginResult.Fail(LoginFailure.Unavailable);
            }
            if (auth.Status != AuthStatus.Ok || auth.Mailbox is null || !TryChooseMailbox(user, auth, out var mailbox))
            {
                return await FailedAsync(login, cancellationToken);
            }
            guard?.Succeeded(login);
            var result = await OpenAsync(login, mailbox, cancellationToken);
            return result with { ServerSignature = signature };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            FrontendLog.ClusterCallFailed(logger, "login", e);
            FrontendTelemetry.StorageErrors.Add(1, new KeyValuePair<string, object?>("operation", "login"));
            return LoginResult.Fail(LoginFailure.Unavailable);
        }
    }

    private async Task<LoginResult> FailedAsync(string login, CancellationToken cancellationToken)
        => LoginResult.Fail(guard is null ? LoginFailure.Credentials : await guard.FailedAsync(login, cancellationToken));

    private async Task<LoginResult> OpenAsync(string login, string mailbox, CancellationToken cancellationToken)
    {
        var slot = limiter?.TryOpenSession(login);
        if (limiter is not null && slot is null)
        {
            return LoginResult.Fail(LoginFailure.TooManySessions);
        }
        try
        {
            var lease = new SessionLease(Guid.NewGuid(), holder);
            var grain = grains.GetGrain<IMailboxGrain>(mailbox);
            var opened = await grain.Open(lease, lockPolicy).WaitAsync(cancellationToken);
            if (opened.Status == MailboxStatus.Ok)
            {
                Interlocked.Exchange(ref _sessionSlot, slot)?.Dispose();
                slot = null;
                return LoginResult.Success(
                    new GrainMaildrop(mailbox, grain, lease.SessionId, bodies, leaseRenewInterval, onSessionLost, logger));
            }
            return opened.Status switch
            {
                MailboxStatus.InUse => LoginResult.Fail(LoginFailure.InUse),
                MailboxStatus.NoSuchMailbox => LoginResult.Fail(LoginFailure.Credentials),
                _ => LoginResult.Fail(LoginFailure.Unavailable),
            };
        }
        finally
        {
            slot?.Dispose();
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
