using Microsoft.Extensions.Logging;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Grains.Security;

namespace Pop3Gateway.Grains.Accounts;

/// <summary>
/// The first login that proves the password finishes an import: a hash migrated from Dovecot is
/// replaced by the native hash, and an account without SCRAM keys (any imported hash) gets them,
/// with a fresh salt.
/// </summary>
public sealed partial class AccountGrain
{
    private async Task<AuthResult> AuthenticateAndUpgradeAsync(string password)
    {
        var auth = await Authenticate(password);
        if (auth.Status is AuthStatus.Ok or AuthStatus.Disabled && state.State.Password is { } current
            && (!PasswordHasher.IsNative(current) || UsableScram is null))
        {
            var native = PasswordHasher.IsNative(current)
                ? new Admission<PasswordHash>(true, current)
                : await passwordWork.TryRunAsync(() => PasswordHasher.Hash(password));
            var scram = native.Admitted ? await passwordWork.TryRunAsync(() => ScramSha256.Derive(password)) : default;
            // A full hashing line or a failed write (logged there) costs nothing now: the next login tries again.
            if (scram.Admitted
                && (await TryWrite(state.State with { Password = native.Value, Scram = scram.Value }, "upgrading the imported password of")).IsOk)
            {
                if (ReferenceEquals(native.Value, current))
                {
                    ScramKeysAdded(logger, Login);
                }
                else
                {
                    _verified.Remember(password, native.Value);
                    HashUpgraded(logger, Login, current.Algorithm, PasswordHasher.Algorithm);
                }
            }
        }
        return auth;
    }

    [LoggerMessage(EventId = 2021, Level = LogLevel.Information, Message = "Account {Login}: the migrated {Scheme} hash is replaced by {Algorithm}")]
    private static partial void HashUpgraded(ILogger logger, string login, string scheme, string algorithm);
}
