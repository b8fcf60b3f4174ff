using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Security;
using Pop3Gateway.Grains.Security;

namespace Pop3Gateway.Grains.Accounts;

/// <summary>
/// SCRAM-SHA-256. The account keeps StoredKey and ServerKey, derived from the password itself with a
/// salt of their own, never from the stored PBKDF2 hash: keys taken from that hash would let the hash
/// log in (RFC 5802's SaltedPassword is the same PBKDF2), so an import file or a backup would be a
/// password. An account without keys answers with made-up parameters, like an unknown login, until
/// a password login proves the password and adds them.
/// </summary>
public sealed partial class AccountGrain
{
    public async Task<ScramChallenge> GetScramChallenge()
    {
        // The front-end counts an exchange that gets its salt and sends no proof as a failed login.
        _failuresMayBeCounted = true;
        return UsableScram is { } scram
            ? new ScramChallenge(scram.Salt, scram.Iterations)
            : ScramDummies.Challenge(await scramSecret.GetAsync(GrainFactory), Login);
    }

    /// <summary>Checks a SCRAM-SHA-256 client proof (RFC 5802 section 3) against the stored keys.</summary>
    private ScramAuthResult AuthenticateScram(string authMessage, byte[] clientProof)
    {
        if (UsableScram is not { } scram)
        {
            // Same work as a real check, against keys no proof can match.
            _ = ScramSha256.Verify(ScramDummies.Keys, authMessage ?? "", clientProof ?? []);
            return new ScramAuthResult(Failed, null);
        }

        var signature = ScramSha256.Verify(scram, authMessage ?? "", clientProof ?? []);
        return signature is null
            ? new ScramAuthResult(Failed, null)
            : state.State.Disabled
                ? new ScramAuthResult(new AuthResult(AuthStatus.Disabled, null, []), null)
                : new ScramAuthResult(new AuthResult(AuthStatus.Ok, state.State.Mailbox, Granted), signature);
    }

    /// <summary>
    /// The account's SCRAM keys, unless they were derived from its stored PBKDF2 hash (as imports once
    /// did): such keys are ignored, and replaced at the next password login.
    /// </summary>
    private ScramCredential? UsableScram =>
        state.State is { Exists: true, Scram: { } scram } && !IsDerivedFromHash(scram, state.State.Password) ? scram : null;

    private static bool IsDerivedFromHash(ScramCredential scram, PasswordHash? hash) =>
        hash is not null && PasswordHasher.IsNative(hash)
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(HMACSHA256.HashData(hash.Hash, "Client Key"u8)), scram.StoredKey);

    /// <summary>
    /// SCRAM keys for a provisioned account: fresh ones from a given password; none from a given hash
    /// (the first password login adds them). An unchanged password or hash keeps the current keys.
    /// </summary>
    private ScramCredential? ProvisionedScram(ProvisionRequest request, PasswordHash hash)
    {
        var unchanged = state.State.Password is { } current
            && current.Algorithm == hash.Algorithm && current.Salt.AsSpan().SequenceEqual(hash.Salt) && current.Hash.AsSpan().SequenceEqual(hash.Hash);
        if (unchanged && UsableScram is { } kept)
        {
            return kept;
        }
        return request.PasswordHash is null ? ScramSha256.Derive(request.Password!) : null;
    }

    [LoggerMessage(EventId = 2022, Level = LogLevel.Information, Message = "Account {Login}: SCRAM-SHA-256 keys added at the first password login")]
    private static partial void ScramKeysAdded(ILogger logger, string login);
}
