using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Mailboxes;

/// <summary>Quota: the mailbox's own setting (a separate state record) over the configured default.</summary>
public sealed partial class MailboxGrain
{
    public Task<QuotaInfo> GetQuota() => Task.FromResult(CurrentQuota());

    public async Task<MailboxStatus> SetQuota(QuotaSetting setting)
    {
        if (!state.State.Exists)
        {
            return MailboxStatus.NoSuchMailbox;
        }
        if (setting.Octets < 0 || setting.Messages < 0)
        {
            return MailboxStatus.InvalidRequest;
        }
        var previous = settings.State;
        settings.State = previous with { QuotaOctets = setting.Octets, QuotaMessages = setting.Messages };
        try
        {
            await settings.WriteStateAsync();
            return MailboxStatus.Ok;
        }
        catch (Exception e)
        {
            settings.State = previous;
            logger.StorageFailed(e, "setting the quota of", Name);
            DeactivateOnIdle();
            return MailboxStatus.StorageUnavailable;
        }
    }

    /// <summary>Why one more message of <paramref name="size"/> octets is refused, or null when it fits.</summary>
    private string? QuotaRefusal(long size)
    {
        var quota = CurrentQuota();
        return quota.Admits(size)
            ? null
            : $"quota exceeded: {quota.MessagesUsed}/{Limit(quota.MessageLimit)} messages, " +
              $"{quota.OctetsUsed}+{size}/{Limit(quota.OctetLimit)} octets";
    }

    private static string Limit(long value) => value == 0 ? "unlimited" : value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private QuotaInfo CurrentQuota() => new(
        state.State.Exists,
        settings.State.QuotaOctets ?? quotaOptions.Value.DefaultOctets,
        settings.State.QuotaMessages ?? quotaOptions.Value.DefaultMessages,
        _octets,
        Messages.Length)
    {
        Own = new QuotaSetting(settings.State.QuotaOctets, settings.State.QuotaMessages),
    };
}
