namespace Pop3Gateway.Grains.Mailboxes;

/// <summary>
/// Persisted settings of <see cref="MailboxGrain"/>, kept apart from the message index so that
/// changing them never rewrites the index. Null quota fields fall back to <see cref="QuotaOptions"/>.
/// </summary>
[GenerateSerializer]
public sealed record MailboxSettings
{
    [Id(0)] public long? QuotaOctets { get; init; }
    [Id(1)] public long? QuotaMessages { get; init; }
}
