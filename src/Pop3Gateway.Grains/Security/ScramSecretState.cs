namespace Pop3Gateway.Grains.Security;

/// <summary>Persisted state of <see cref="ScramSecretGrain"/>: empty until the first call creates the secret.</summary>
[GenerateSerializer]
public sealed record ScramSecretState
{
    [Id(0)] public byte[] Secret { get; init; } = [];
}
