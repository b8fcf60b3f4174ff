namespace Pop3Gateway.Grains.Addresses;

/// <summary>Persisted state of <see cref="AddressGrain"/>: the owner, or empty when unassigned.</summary>
[GenerateSerializer]
public sealed record AddressState
{
    [Id(0)] public string Login { get; init; } = "";
    [Id(1)] public string Mailbox { get; init; } = "";
}
