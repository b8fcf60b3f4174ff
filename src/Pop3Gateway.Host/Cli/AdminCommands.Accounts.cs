using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Host.Cli;

/// <summary>Account addresses, disable/enable, revoke and remove.</summary>
public sealed partial class AdminCommands
{
    public async Task<int> AddAddressAsync(string login, string address)
    {
        var name = NormalizeName(login, "login");
        var normalized = NormalizeAddress(address);
        await using var admin = await ConnectAsync();
        await CheckAddressesFreeAsync(admin, name, [normalized]);
        Check(await Call(() => admin.Grains.GetGrain<IAccountGrain>(name).AddAddress(normalized)), $"account '{name}'");
        stdout.WriteLine($"{name} now receives mail for {normalized}");
        return CommandLine.Success;
    }

    public async Task<int> RemoveAddressAsync(string login, string address)
    {
        var name = NormalizeName(login, "login");
        var normalized = NormalizeAddress(address);
        await using var admin = await ConnectAsync();
        Check(await Call(() => admin.Grains.GetGrain<IAccountGrain>(name).RemoveAddress(normalized)), $"account '{name}'");
        stdout.WriteLine($"{name} no longer receives mail for {normalized}");
        return CommandLine.Success;
    }

    public async Task<int> SetDisabledAsync(string login, bool disabled)
    {
        var name = NormalizeName(login, "login");
        await using var admin = await ConnectAsync();
        Check(await Call(() => admin.Grains.GetGrain<IAccountGrain>(name).SetDisabled(disabled)), $"account '{name}'");
        stdout.WriteLine(disabled ? $"account {name} disabled; its mail is kept" : $"account {name} enabled");
        return CommandLine.Success;
    }

    public async Task<int> RevokeAsync(string login, string mailbox)
    {
        var name = NormalizeName(login, "login");
        var target = NormalizeName(mailbox, "mailbox");
        await using var admin = await ConnectAsync();
        Check(await Call(() => admin.Grains.GetGrain<IAccountGrain>(name).Revoke(target)), $"account '{name}'");
        stdout.WriteLine($"{name} may no longer open {target}");
        return CommandLine.Success;
    }

    public async Task<int> RemoveAccountAsync(string login, bool keepMail)
    {
        var name = NormalizeName(login, "login");
        await using var admin = await ConnectAsync();
        Check(await Call(() => admin.Grains.GetGrain<IAccountGrain>(name).Remove(keepMail)), $"account '{name}'");
        stdout.WriteLine(keepMail
            ? $"account {name} removed; mailbox {name} and its mail are kept"
            : $"account {name} removed");
        return CommandLine.Success;
    }

    /// <param name="octets">The <c>--octets</c> value as given: a number, <c>default</c>, or null (unchanged).</param>
    /// <param name="messages">The <c>--messages</c> value as given: a number, <c>default</c>, or null (unchanged).</param>
    public async Task<int> SetQuotaAsync(string mailbox, string? octets, string? messages)
    {
        var name = NormalizeName(mailbox, "mailbox");
        if (octets is null && messages is null)
        {
            throw new UsageException("give --octets N and/or --messages N (0 = unlimited, 'default' = the configured default)");
        }
        await using var admin = await ConnectAsync();
        var grain = admin.Grains.GetGrain<IMailboxGrain>(name);
        var current = await Call(() => grain.GetQuota());
        if (!current.Exists)
        {
            throw new UsageException($"no such mailbox: {name}");
        }
        var setting = new QuotaSetting(
            ParseQuota(octets, "--octets", current.Own.Octets),
            ParseQuota(messages, "--messages", current.Own.Messages));
        var status = await Call(() => grain.SetQuota(setting));
        switch (status)
        {
            case MailboxStatus.Ok:
                break;
            case MailboxStatus.StorageUnavailable:
                throw new ClusterUnreachableException($"storage unavailable while setting the quota of {name}");
            default:
                throw new UsageException($"cannot set the quota of {name}: {status}");
        }
        var quota = await Call(() => grain.GetQuota());
        stdout.WriteLine($"quota of {name}: {QuotaText(quota.MessagesUsed, quota.MessageLimit, quota.Own.Messages, "messages")}; " +
            QuotaText(quota.OctetsUsed, quota.OctetLimit, quota.Own.Octets, "octets"));
        return CommandLine.Success;
    }

    private static long? ParseQuota(string? value, string option, long? current) => value switch
    {
        null => current,
        "default" => null,
        _ when long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) => n,
        _ => throw new UsageException($"{option} must be a whole number of at least 0 or 'default', not '{value}'"),
    };

    private static string QuotaText(long used, long limit, long? own, string unit) =>
        $"{used} of {(limit == 0 ? "unlimited" : limit.ToString(System.Globalization.CultureInfo.InvariantCulture))} {unit}{(own is null ? " (default)" : "")}";

    internal static string NormalizeAddress(string value) =>
        MailAddresses.TryNormalize(value, out var address, out var error)
            ? address
            : throw new UsageException($"invalid address '{value}': {error}");

    /// <summary>Refuses before anything is written when another account already owns one of the addresses.</summary>
    private static async Task CheckAddressesFreeAsync(AdminClient admin, string login, IEnumerable<string> addresses)
    {
        foreach (var address in addresses)
        {
            var owner = await Call(() => admin.Grains.GetGrain<IAddressGrain>(address).Resolve());
            if (owner is not null && owner.Login != login)
            {
                throw new UsageException($"address '{address}' already belongs to account '{owner.Login}'");
            }
        }
    }
}
