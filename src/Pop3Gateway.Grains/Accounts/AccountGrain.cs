using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Security;
using Pop3Gateway.Abstractions.Storage;
using Pop3Gateway.Grains.Ldap;
using Pop3Gateway.Grains.Security;

namespace Pop3Gateway.Grains.Accounts;

/// <summary>
/// One account, keyed by its normalized login: password hash, own mailbox (named like the
/// login) and granted mailboxes. Storage and cluster failures become StorageUnavailable results.
/// </summary>
public sealed partial class AccountGrain(
    [PersistentState("account", StorageNames.Mailboxes)] IPersistentState<AccountState> state,
    TimeProvider timeProvider,
    IPasswordDirectory directory,
    ScramSecretCache scramSecret,
    PasswordWork passwordWork,
    ILogger<AccountGrain> logger)
    : Grain, IAccountGrain
{
    private readonly VerifiedPasswordCache _verified = new(timeProvider);

    private string Login => this.GetPrimaryKeyString();

    public async Task<AdminResult> Create(string password)
    {
        if (!MailboxNames.TryNormalize(Login, out var normalized, out var error) || normalized != Login)
        {
            return Invalid(error.Length > 0 ? error : "login is not normalized (lower case)");
        }
        if (CheckPassword(password) is { } passwordError)
        {
            return passwordError;
        }
        if (state.State.Exists)
        {
            return new AdminResult(AdminStatus.AlreadyExists, $"account '{Login}' already exists");
        }

        // Every step is idempotent, so a Create that failed half-way can simply be repeated:
        // the account record is written last and only then does the account exist.
        try
        {
            var mailboxStatus = await GrainFactory.GetGrain<IMailboxGrain>(Login).Create();
            if (mailboxStatus != MailboxStatus.Ok)
            {
                return Unavailable($"mailbox '{Login}' could not be created: {mailboxStatus}");
            }
            await GrainFactory.GetGrain<IAccountDirectoryGrain>(IAccountDirectoryGrain.DefaultKey).Add(Login);
        }
        catch (Exception e)
        {
            logger.StorageFailed(e, "creating", Login);
            return Unavailable(e.Message);
        }

        var result = await TryWrite(
            new AccountState
            {
                Exists = true,
                Login = Login,
                Password = PasswordHasher.Hash(password),
                Scram = ScramSha256.Derive(password),
                Mailbox = Login,
                Created = timeProvider.GetUtcNow(),
            },
            "creating");
        if (result.IsOk)
        {
            logger.Created(Login, Login);
        }
        return result;
    }

    public async Task<AdminResult> SetPassword(string password)
    {
        if (!state.State.Exists)
        {
            return NoSuchAccount();
        }
        if (CheckPassword(password) is { } passwordError)
        {
            return passwordError;
        }
        var result = await TryWrite(state.State with { Password = PasswordHasher.Hash(password), Scram = ScramSha256.Derive(password) }, "changing the password of");
        if (result.IsOk)
        {
            logger.PasswordChanged(Login);
        }
        return result;
    }

    public async Task<AdminResult> Grant(string mailbox)
    {
        if (!state.State.Exists)
        {
            return NoSuchAccount();
        }
        if (!MailboxNames.TryNormalize(mailbox, out var normalized, out var error))
        {
            return Invalid(error);
        }
        var granted = Granted;
        if (normalized == state.State.Mailbox || ImmutableArray.BinarySearch(granted, normalized, StringComparer.Ordinal) >= 0)
        {
            return AdminResult.Success;
        }

        try
        {
            var info = await GrainFactory.GetGrain<IMailboxGrain>(normalized).Describe();
            if (!info.Exists)
            {
                return new AdminResult(AdminStatus.NoSuchMailbox, $"mailbox '{normalized}' does not exist");
            }
        }
        catch (Exception e)
        {
            logger.StorageFailed(e, "granting a mailbox to", Login);
            return Unavailable(e.Message);
        }

        var index = ImmutableArray.BinarySearch(granted, normalized, StringComparer.Ordinal);
        var result = await TryWrite(state.State with { Granted = granted.Insert(~index, normalized) }, "granting a mailbox to");
        if (result.IsOk)
        {
            logger.Granted(Login, normalized);
        }
        return result;
    }

    public Task<AccountInfo?> Describe() => Task.FromResult(
        state.State.Exists
            ? new AccountInfo(state.State.Login, state.State.Mailbox, Granted, state.State.Created)
            {
                Addresses = Addresses,
                Disabled = state.State.Disabled,
                MigratedScheme = state.State.Password is { } hash && !PasswordHasher.IsNative(hash) ? hash.Algorithm : null,
            }
            : null);

    /// <summary>Checks a password. Takes as long for an unknown account as for a wrong password.</summary>
    private async Task<AuthResult> Authenticate(string password)
    {
        password ??= "";
        if (!state.State.Exists || state.State.Password is not { } hash)
        {
            // Through the same wait line as a real check: a full line refuses both alike.
            return (await passwordWork.TryRunAsync(() => PasswordHasher.VerifyNothing(password))).Admitted ? Failed : Busy;
        }
        // The cache is tied to this hash instance: a new password or a reload starts it over.
        if (!_verified.Matches(password, hash))
        {
            var verified = await passwordWork.TryRunAsync(() => PasswordHasher.Verify(password, hash));
            if (!verified.Admitted)
            {
                return Busy;
            }
            if (!verified.Value)
            {
                return Failed;
            }
            _verified.Remember(password, hash);
        }
        // Only a caller who knows the password learns that the account is disabled.
        return state.State.Disabled
            ? new AuthResult(AuthStatus.Disabled, null, [])
            : new AuthResult(AuthStatus.Ok, state.State.Mailbox, Granted);
    }

    private static readonly AuthResult Failed = new(AuthStatus.Failed, null, []);

    /// <summary>Nothing was checked: the hashing wait line was full. Never cached, never a failure.</summary>
    private static readonly AuthResult Busy = new(AuthStatus.Busy, null, []);

    private ImmutableArray<string> Granted =>
        state.State.Granted.IsDefault ? [] : state.State.Granted;

    private async Task<AdminResult> TryWrite(AccountState next, string operation)
    {
        var previous = state.State;
        state.State = next;
        try
        {
            await state.WriteStateAsync();
            return AdminResult.Success;
        }
        catch (Exception e)
        {
            state.State = previous;
            logger.StorageFailed(e, operation, Login);
            if (e is InconsistentStateException)
            {
                // Another activation wrote this account: start over from storage next time.
                DeactivateOnIdle();
            }
            return Unavailable(e.Message);
        }
    }

    private static AdminResult? CheckPassword(string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return Invalid("password is empty");
        }
        if (password.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
        {
            return Invalid("password contains CR, LF or NUL");
        }
        return null;
    }

    private static AdminResult Invalid(string error) => new(AdminStatus.InvalidArgument, error);

    private static AdminResult Unavailable(string error) => new(AdminStatus.StorageUnavailable, error);

    private AdminResult NoSuchAccount() => new(AdminStatus.NoSuchAccount, $"account '{Login}' does not exist");
}
