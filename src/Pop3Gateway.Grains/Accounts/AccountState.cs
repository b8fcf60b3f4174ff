using System.Collections.Immutable;
using Pop3Gateway.Grains.Security;

namespace Pop3Gateway.Grains.Accounts;

/// <summary>Persisted state of <see cref="AccountGrain"/>. Replaced as a whole, never mutated in place.</summary>
[GenerateSerializer]
public sealed record AccountState
{
    [Id(0)] public bool Exists { get; init; }
    [Id(1)] public string Login { get; init; } = "";
    [Id(2)] public PasswordHash? Password { get; init; }
    [Id(3)] public string Mailbox { get; init; } = "";
    /// <summary>Other mailboxes this account may open, sorted ordinally.</summary>
    [Id(4)] public ImmutableArray<string> Granted { get; init; } = [];
    [Id(5)] public DateTimeOffset Created { get; init; }
    /// <summary>Recipient addresses mapped to this account's mailbox, normalized and sorted ordinally.</summary>
    [Id(10)] public ImmutableArray<string> Addresses { get; init; } = [];
    /// <summary>A disabled account cannot log in; its mail is kept.</summary>
    [Id(11)] public bool Disabled { get; init; }

    /// <summary>
    /// SCRAM-SHA-256 StoredKey and ServerKey, derived from the password with their own salt whenever it is set;
    /// null after a hash was imported, until the first password login.
    /// </summary>
    [Id(20)] public ScramCredential? Scram { get; init; }
}
