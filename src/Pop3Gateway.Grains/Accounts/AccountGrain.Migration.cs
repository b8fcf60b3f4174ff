using Microsoft.Extensions.Logging;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Grains.Security;

namespace Pop3Gateway.Grains.Accounts;

/// <summary>Hashes migrated from Dovecot are replaced by the native hash, with SCRAM keys, at the first login that proves the password.</summary>
public sealed partial class AccountGrain
{
    private async Task<AuthResult> AuthenticateAndUpgradeAsync(string password)
    {
        var auth = await Authenticate(password);
        if (auth.Status is AuthStatus.Ok or AuthStatus.Disabled && state.State.Password is { } migrated && !PasswordHasher.IsNative(migrated))
        {
            var native = await PasswordWork.RunAsync(() => PasswordHasher.Hash(password));
            var scram = await PasswordWork.RunAsync(() => ScramSha256.Derive(password));
            // A failed write is logged there and costs nothing now: the next login tries again.
            if ((await TryWrite(state.State with { Password = native, Scram = scram }, "upgrading the migrated password hash of")).IsOk)
            {
                _verified.Remember(password, native);
                HashUpgraded(logger, Login, migrated.Algorithm, PasswordHasher.Algorithm);
            }
        }
        return auth;
    }

    [LoggerMessage(EventId = 2021, Level = LogLevel.Information, Message = "Account {Login}: the migrated {Scheme} hash is replaced by {Algorithm}")]
    private static partial void HashUpgraded(ILogger logger, string login, string scheme, string algorithm);
}
