using Microsoft.Extensions.Logging;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Frontends;
using Pop3Gateway.Frontend.Security;
using Pop3Gateway.Frontend.Sessions;
using Pop3Gateway.Frontend.Telemetry;
using Pop3Gateway.Protocol.Backend;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Frontend.Backend;

/// <summary>
/// Logs a POP3 user in with one account-grain call, which also opens the mailbox session and
/// returns its snapshot (see <see cref="GrainMaildrop"/>). One instance per connection, made by
/// <see cref="Pop3BackendFactory"/>: it knows who is connecting, for the lock holder, the
/// brute-force defence and the per-account session limit (held until disposed).
/// </summary>
public sealed class GrainPop3Backend : IPop3Backend, IDisposable
{
    private readonly Pop3BackendFactory _shared;
    private readonly IGrainFactory _grains;
    private readonly AdmittedClient _client;
    private readonly string _holder;
    private readonly LoginGuard _guard;
    private readonly Action<SessionEndReason> _onSessionEnd;
    private readonly Func<bool> _isTls;
    private IDisposable? _sessionSlot;

    /// <summary>The login of a SCRAM exchange that was given its salt and has sent no proof yet.</summary>
    private string? _unprovenScram;

    /// <summary>Mechanism tag of password logins (USER/PASS, SASL PLAIN and LOGIN) in the login metric.</summary>
    private const string PasswordMechanism = "password";

    private const string ScramMechanism = "scram-sha-256";

    internal GrainPop3Backend(Pop3BackendFactory shared, AdmittedClient client, Action<SessionEndReason> onSessionEnd, Func<bool> isTls)
    {
        _shared = shared;
        _grains = shared.Grains;
        _client = client;
        _holder = $"{client.Address} via {Environment.MachineName}";
        _guard = client.Guard;
        _onSessionEnd = onSessionEnd;
        _isTls = isTls;
    }

    public async Task<LoginResult> LoginAsync(Pop3UserName user, string password, CancellationToken cancellationToken)
    {
        if (await CountAbandonedScramAsync(cancellationToken) == LoginFailure.Blocked)
        {
            return LoginResult.Fail(LoginFailure.Blocked);
        }
        return await LoginAsync(user, PasswordMechanism,
            (login, target) => _grains.GetGrain<IAccountGrain>(login).SignIn(password, target), cancellationToken);
    }

    /// <summary>
    /// The first SCRAM step counts like a login: a banned client learns nothing, and an exchange that
    /// gets its salt but never sends a proof counts as a failed login once the next login starts or
    /// the connection ends. Probing salts therefore costs what guessing passwords costs.
    /// </summary>
    public async Task<ScramParameters> GetScramParametersAsync(Pop3UserName user, CancellationToken cancellationToken)
    {
        // An unusable login gets the made-up parameters of an unknown account, so nothing tells them apart.
        var login = MailboxNames.TryNormalize(user.Login, out var normalized, out _) ? normalized : "-";
        if (await _guard.IsBannedAsync(cancellationToken) || await CountAbandonedScramAsync(cancellationToken) == LoginFailure.Blocked)
        {
            return ScramParameters.Fail(LoginFailure.Blocked);
        }
        try
        {
            var challenge = await _grains.GetGrain<IAccountGrain>(login).GetScramChallenge().WaitAsync(cancellationToken);
            _unprovenScram = login;
            return new ScramParameters(challenge.Salt, challenge.Iterations);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            FrontendLog.ClusterCallFailed(_shared.Logger, "login", e);
            FrontendTelemetry.StorageErrors.Add(1, new KeyValuePair<string, object?>("operation", "login"));
            return ScramParameters.Fail(LoginFailure.Unavailable);
        }
    }

    public Task<LoginResult> LoginScramAsync(Pop3UserName user, string authMessage, byte[] clientProof, CancellationToken cancellationToken)
    {
        // The proof is checked and counted like any login from here on.
        _unprovenScram = null;
        return LoginAsync(user, ScramMechanism,
            (login, target) => _grains.GetGrain<IAccountGrain>(login).SignInScram(authMessage, clientProof, target), cancellationToken);
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _sessionSlot, null)?.Dispose();
        if (Interlocked.Exchange(ref _unprovenScram, null) is { } abandoned)
        {
            // The connection is gone: nobody waits for the delay, the count is what matters.
            _ = _guard.FailedAsync(abandoned, CancellationToken.None);
        }
    }

    /// <summary>Counts a SCRAM exchange of this connection that got its salt and went no further; None when there was none.</summary>
    private async Task<LoginFailure> CountAbandonedScramAsync(CancellationToken cancellationToken) =>
        Interlocked.Exchange(ref _unprovenScram, null) is { } abandoned
            ? await _guard.FailedAsync(abandoned, cancellationToken)
            : LoginFailure.None;

    private async Task<LoginResult> LoginAsync(
        Pop3UserName user, string mechanism, Func<string, LoginTarget, Task<LoginReply>> login, CancellationToken cancellationToken)
    {
        var result = await LoginCoreAsync(user, login, cancellationToken);
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

    /// <summary>
    /// One account-grain call checks the credentials and opens the mailbox session (the account grain
    /// calls the mailbox grain). At the per-account session limit it only checks the credentials, so
    /// the limit is told only to a caller who knows the password.
    /// </summary>
    private async Task<LoginResult> LoginCoreAsync(
        Pop3UserName user, Func<string, LoginTarget, Task<LoginReply>> login, CancellationToken cancellationToken)
    {
        IDisposable? slot = null;
        try
        {
            if (await _guard.IsBannedAsync(cancellationToken))
            {
                return LoginResult.Fail(LoginFailure.Blocked);
            }
            if (!MailboxNames.TryNormalize(user.Login, out var account, out _))
            {
                return await FailedAsync(user.Login, cancellationToken);
            }
            slot = _shared.Limiter.TryOpenSession(account);
            var atLimit = slot is null;
            if (!atLimit && _shared.Sessions is { } sessions && !await sessions.ReadyAsync(cancellationToken))
            {
                // This front-end cannot reach its liveness record: a session opened now could be taken from it unseen.
                return LoginResult.Fail(LoginFailure.Unavailable);
            }
            var lease = atLimit ? null : new SessionLease(Guid.NewGuid(), _holder, _shared.Sessions?.FrontendId);
            // Held from before the call: a lease granted after this login gave up (timeout, client gone) is then known
            // to be an orphan, and the next login takes it over instead of waiting for its backstop lease.
            using var opening = lease is null ? null : _shared.Sessions?.Opening(lease.SessionId);
            var reply = await login(account, new LoginTarget(user.MailboxAlias, lease, _shared.LockPolicy, !_client.IsTrusted)).WaitAsync(cancellationToken);
            if (reply.Status is AuthStatus.StorageUnavailable or AuthStatus.Busy)
            {
                return LoginResult.Fail(LoginFailure.Unavailable);
            }
            if (reply.Status != AuthStatus.Ok || reply.Mailbox is not { } mailbox)
            {
                return await FailedAsync(account, cancellationToken);
            }
            if (atLimit)
            {
                return LoginResult.Fail(LoginFailure.TooManySessions);
            }
            var opened = reply.Session ?? SessionSnapshot.Failed(MailboxStatus.StorageUnavailable);
            if (opened.Status != MailboxStatus.Ok)
            {
                return LoginResult.Fail(opened.Status switch
                {
                    MailboxStatus.InUse => LoginFailure.InUse,
                    MailboxStatus.NoSuchMailbox => LoginFailure.Credentials,
                    _ => LoginFailure.Unavailable,
                });
            }
            Interlocked.Exchange(ref _sessionSlot, slot)?.Dispose();
            slot = null;
            var open = new OpenSession(lease!.SessionId, mailbox, account, _client.Address, lease.Frontend ?? Environment.MachineName,
                _shared.Time.GetUtcNow(), _isTls());
            var maildrop = new GrainMaildrop(_grains.GetGrain<IMailboxGrain>(mailbox), open, opened, _shared, _onSessionEnd);
            return LoginResult.Success(maildrop) with { ServerSignature = reply.ServerSignature };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            FrontendLog.ClusterCallFailed(_shared.Logger, "login", e);
            FrontendTelemetry.StorageErrors.Add(1, new KeyValuePair<string, object?>("operation", "login"));
            return LoginResult.Fail(LoginFailure.Unavailable);
        }
        finally
        {
            slot?.Dispose();
        }
    }

    private async Task<LoginResult> FailedAsync(string login, CancellationToken cancellationToken)
        => LoginResult.Fail(await _guard.FailedAsync(login, cancellationToken));
}
