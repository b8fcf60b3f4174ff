namespace Pop3Gateway.Abstractions;

/// <summary>
/// A mailbox's own quota setting. Null means "use the configured default"
/// (<c>Quota:DefaultOctets</c>, <c>Quota:DefaultMessages</c>); 0 means unlimited.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record QuotaSetting(
    [property: Id(0)] long? Octets,
    [property: Id(1)] long? Messages);

/// <summary>The limits in force (0 = unlimited) and the current use.</summary>
[GenerateSerializer, Immutable]
public sealed record QuotaInfo(
    [property: Id(0)] bool Exists,
    [property: Id(1)] long OctetLimit,
    [property: Id(2)] long MessageLimit,
    [property: Id(3)] long OctetsUsed,
    [property: Id(4)] long MessagesUsed)
{
    /// <summary>The mailbox's own setting; null fields follow the configured default.</summary>
    [Id(5)] public QuotaSetting Own { get; init; } = new(null, null);

    /// <summary>Whether one more message of <paramref name="size"/> octets would fit.</summary>
    public bool Admits(long size) =>
        (MessageLimit == 0 || MessagesUsed + 1 <= MessageLimit)
        && (OctetLimit == 0 || OctetsUsed + size <= OctetLimit);
}
