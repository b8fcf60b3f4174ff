namespace Pop3Gateway.Abstractions;

/// <summary>
/// One page of <see cref="IAccountDirectoryGrain.Page"/>: logins in ordinal order, and the token that continues
/// after them (the last login of the page), or null when no more logins match.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LoginPage(
    [property: Id(0)] IReadOnlyList<string> Logins,
    [property: Id(1)] string? Next);
