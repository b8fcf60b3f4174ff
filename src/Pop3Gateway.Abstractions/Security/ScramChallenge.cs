namespace Pop3Gateway.Abstractions.Security;

/// <summary>The public half of a SCRAM credential, sent in the server-first message.</summary>
[GenerateSerializer, Immutable]
public sealed record ScramChallenge(
    [property: Id(0)] byte[] Salt,
    [property: Id(1)] int Iterations);
