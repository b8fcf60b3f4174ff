using System.Collections.Immutable;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Grains.Ldap;

namespace Pop3Gateway.Grains.Accounts;

/// <summary>
/// Logins checked by a directory (<c>Auth:Backend=Ldap</c>). This account grain still does everything
/// around the check: the verified-password cache, the mailbox choice with the builtin grants, and the
/// mailbox, created at the first successful login.
/// </summary>
public sealed partial class AccountGrain
{
    /// <summary>The directory's last good answer, and the made-up hash the verified-password cache ties it to.</summary>
    private (PasswordHash Key, DirectoryAnswer Answer)? _directoryVerified;

    private async Task<AuthResult> AuthenticateWithDirectoryAsync(string password, string? alias)
    {
        password ??= "";
        if (_directoryVerified is not { } known || !_verified.Matches(password, known.Key))
        {
            var answer = await directory.CheckAsync(Login, password, CancellationToken.None);
            if (answer.Verdict != DirectoryVerdict.Ok || answer.Mailbox is null)
            {
                return answer.Verdict switch
                {
                    DirectoryVerdict.Unavailable => new AuthResult(AuthStatus.StorageUnavailable, null, []),
                    DirectoryVerdict.Busy => Busy,
                    _ => Failed,
                };
            }
            if (!await CreateMailboxAsync(answer.Mailbox))
            {
                return new AuthResult(AuthStatus.StorageUnavailable, null, []);
            }
            known = (new PasswordHash("LDAP", 0, RandomNumberGenerator.GetBytes(16), []), answer);
            _verified.Remember(password, known.Key);
            _directoryVerified = known;
            DirectoryLogin(logger, Login, answer.Mailbox, answer.Delegated.Length);
        }
        if (state.State.Disabled)
        {
            return new AuthResult(AuthStatus.Disabled, null, []);
        }
        // A mailbox the directory delegates exists once someone opens it.
        if (alias is not null && MailboxNames.TryNormalize(alias, out var delegated, out _)
            && known.Answer.Delegated.Contains(delegated) && !await CreateMailboxAsync(delegated))
        {
            return new AuthResult(AuthStatus.StorageUnavailable, null, []);
        }
        return new AuthResult(AuthStatus.Ok, known.Answer.Mailbox, [.. known.Answer.Delegated.Union(Granted)]);
    }

    private async Task<bool> CreateMailboxAsync(string mailbox)
    {
        try
        {
            return await GrainFactory.GetGrain<IMailboxGrain>(mailbox).Create() == MailboxStatus.Ok;
        }
        catch (Exception e)
        {
            logger.StorageFailed(e, "creating the mailbox of", Login);
            return false;
        }
    }

    [LoggerMessage(EventId = 2020, Level = LogLevel.Information,
        Message = "Directory login {Login} verified: mailbox {Mailbox}, {Delegated} delegated mailboxes")]
    private static partial void DirectoryLogin(ILogger logger, string login, string mailbox, int delegated);
}
