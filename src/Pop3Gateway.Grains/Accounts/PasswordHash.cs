namespace Pop3Gateway.Grains.Accounts;

/// <summary>A salted, slow password hash as stored in <see cref="AccountState"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record PasswordHash(
    [property: Id(0)] string Algorithm,
    [property: Id(1)] int Iterations,
    [property: Id(2)] byte[] Salt,
    [property: Id(3)] byte[] Hash);
