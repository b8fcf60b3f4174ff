using System.Collections.Immutable;
using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Accounts;

/// <summary>Addresses, disable/enable, revoke, remove and bulk provisioning.</summary>
public sealed partial class AccountGrain
{
    private ImmutableArray<string> Addresses =>
        state.State.Addresses.IsDefault ? [] : state.State.Addresses;

    public async Task<AdminResult> AddAddress(string address)
    {
        if (!state.State.Exists)
        {
            return NoSuchAccount();
        }
        if (!MailAddresses.TryNormalize(address, out var normalized, out var error))
        {
            return Invalid($"invalid address '{address}': {error}");
        }
        var claimed = await ClaimAsync([normalized]);
        if (!claimed.IsOk)
        {
            return claimed;
        }
        if (Addresses.Contains(normalized))
        {
            return AdminResult.Success;
        }
        var result = await TryWrite(state.State with { Addresses = WithAddresses([normalized]) }, "adding an address to");
        if (!result.IsOk)
        {
            await ReleaseAsync([normalized]);
            return result;
        }
        logger.AddressAdded(Login, normalized);
        return result;
    }

    public async Task<AdminResult> RemoveAddress(string address)
    {
        if (!state.State.Exists)
        {
            return NoSuchAccount();
        }
        if (!MailAddresses.TryNormalize(address, out var normalized, out var error))
        {
            return Invalid($"invalid address '{address}': {error}");
        }
        if (!Addresses.Contains(normalized))
        {
            return Invalid($"account '{Login}' has no address '{normalized}'");
        }
        // Released first: an address left in the account but released is repaired by adding it again.
        var released = await ReleaseAsync([normalized]);
        if (!released.IsOk)
        {
            return released;
        }
        var result = await TryWrite(state.State with { Addresses = Addresses.Remove(normalized) }, "removing an address from");
        if (result.IsOk)
        {
            logger.AddressRemoved(Login, normalized);
        }
        return result;
    }

    public async Task<AdminResult> SetDisabled(bool disabled)
    {
        if (!state.State.Exists)
        {
            return NoSuchAccount();
        }
        if (state.State.Disabled == disabled)
        {
            return AdminResult.Success;
        }
        var result = await TryWrite(state.State with { Disabled = disabled }, disabled ? "disabling" : "enabling");
        if (result.IsOk)
        {
            logger.DisabledChanged(Login, disabled);
        }
        return result;
    }

    public async Task<AdminResult> Revoke(string mailbox)
    {
        if (!state.State.Exists)
        {
            return NoSuchAccount();
        }
        if (!MailboxNames.TryNormalize(mailbox, out var normalized, out var error))
        {
            return Invalid(error);
        }
        if (normalized == state.State.Mailbox)
        {
            return Invalid($"'{normalized}' is the account's own mailbox; it cannot be revoked");
        }
        if (!Granted.Contains(normalized))
        {
            return Invalid($"account '{Login}' was not granted mailbox '{normalized}'");
        }
        var result = await TryWrite(state.State with { Granted = Granted.Remove(normalized) }, "revoking a mailbox of");
        if (result.IsOk)
        {
            logger.Revoked(Login, normalized);
        }
        return result;
    }

    public async Task<AdminResult> Remove(bool keepMail)
    {
        if (!state.State.Exists)
        {
            return NoSuchAccount();
        }
        var mailbox = state.State.Mailbox;
        int messages;
        try
        {
            messages = (await GrainFactory.GetGrain<IMailboxGrain>(mailbox).Describe()).MessageCount;
        }
        catch (Exception e)
        {
            logger.StorageFailed(e, "removing", Login);
            return Unavailable(e.Message);
        }
        if (messages > 0 && !keepMail)
        {
            return Invalid($"mailbox '{mailbox}' still holds {messages} messages; fetch them first or pass --keep-mail");
        }
        // Each step is idempotent, so a removal that failed half-way is finished by repeating it.
        var released = await ReleaseAsync(Addresses);
        if (!released.IsOk)
        {
            return released;
        }
        try
        {
            await GrainFactory.GetGrain<IAccountDirectoryGrain>(IAccountDirectoryGrain.DefaultKey).Remove(Login);
        }
        catch (Exception e)
        {
            logger.StorageFailed(e, "removing", Login);
            return Unavailable(e.Message);
        }
        var result = await TryWrite(new AccountState(), "removing");
        if (result.IsOk)
        {
            logger.Removed(Login, mailbox, messages);
        }
        return result;
    }

    public async Task<AdminResult> Provision(ProvisionRequest request)
    {
        PasswordHash hash;
        if (request.PasswordHash is { } text)
        {
            if (!PasswordHashText.TryParse(text, out var parsed, out var hashError))
            {
                return Invalid(hashError);
            }
            hash = parsed;
        }
        else
        {
            if (CheckPassword(request.Password) is { } passwordError)
            {
                return passwordError;
            }
            // Verify first: re-importing an unchanged file then costs one verification, and keeps the salt.
            hash = state.State.Password is { } current && PasswordHasher.Verify(request.Password!, current)
                ? current
                : PasswordHasher.Hash(request.Password!);
        }
        var addresses = new List<string>();
        foreach (var address in request.Addresses)
        {
            if (!MailAddresses.TryNormalize(address, out var normalized, out var error))
            {
                return Invalid($"invalid address '{address}': {error}");
            }
            addresses.Add(normalized);
        }
        if (!state.State.Exists)
        {
            if (!MailboxNames.TryNormalize(Login, out var login, out var loginError) || login != Login)
            {
                return Invalid(loginError.Length > 0 ? loginError : "login is not normalized (lower case)");
            }
            var created = await CreateMailboxAndListAsync(request.AlreadyListed);
            if (!created.IsOk)
            {
                return created;
            }
        }
        var fresh = addresses.Where(a => !Addresses.Contains(a)).Distinct().ToArray();
        var claimed = await ClaimAsync(fresh);
        if (!claimed.IsOk)
        {
            return claimed;
        }
        var scram = ProvisionedScram(request, hash);
        var next = state.State.Exists
            ? state.State with { Password = hash, Scram = scram, Addresses = WithAddresses(fresh) }
            : new AccountState
            {
                Exists = true,
                Login = Login,
                Password = hash,
                Scram = scram,
                Mailbox = Login,
                Created = timeProvider.GetUtcNow(),
                Addresses = [.. fresh.Order(StringComparer.Ordinal)],
            };
        var result = await TryWrite(next, "provisioning");
        if (!result.IsOk)
        {
            await ReleaseAsync(fresh);
        }
        // Provisioning is bulk work (account import): an imported account waits in storage, not in memory, for its first login.
        DeactivateOnIdle();
        return result;
    }

    private async Task<AdminResult> CreateMailboxAndListAsync(bool alreadyListed)
    {
        try
        {
            var mailboxStatus = await GrainFactory.GetGrain<IMailboxGrain>(Login).Create();
            if (mailboxStatus != MailboxStatus.Ok)
            {
                return Unavailable($"mailbox '{Login}' could not be created: {mailboxStatus}");
            }
            if (!alreadyListed)
            {
                await GrainFactory.GetGrain<IAccountDirectoryGrain>(IAccountDirectoryGrain.DefaultKey).Add(Login);
            }
            return AdminResult.Success;
        }
        catch (Exception e)
        {
            logger.StorageFailed(e, "creating", Login);
            return Unavailable(e.Message);
        }
    }

    private ImmutableArray<string> WithAddresses(IEnumerable<string> added) =>
        [.. Addresses.Concat(added).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>Claims every address for this account; on any refusal releases those it claimed.</summary>
    private async Task<AdminResult> ClaimAsync(IReadOnlyList<string> addresses)
    {
        var done = new List<string>();
        foreach (var address in addresses)
        {
            AdminResult result;
            try
            {
                result = await GrainFactory.GetGrain<IAddressGrain>(address).Claim(Login, state.State.Exists ? state.State.Mailbox : Login);
            }
            catch (Exception e)
            {
                logger.StorageFailed(e, "claiming an address for", Login);
                result = Unavailable(e.Message);
            }
            if (!result.IsOk)
            {
                await ReleaseAsync(done);
                return result;
            }
            done.Add(address);
        }
        return AdminResult.Success;
    }

    private async Task<AdminResult> ReleaseAsync(IReadOnlyList<string> addresses)
    {
        foreach (var address in addresses)
        {
            try
            {
                var result = await GrainFactory.GetGrain<IAddressGrain>(address).Release(Login);
                if (!result.IsOk)
                {
                    return result;
                }
            }
            catch (Exception e)
            {
                logger.StorageFailed(e, "releasing an address of", Login);
                return Unavailable(e.Message);
            }
        }
        return AdminResult.Success;
    }
}
