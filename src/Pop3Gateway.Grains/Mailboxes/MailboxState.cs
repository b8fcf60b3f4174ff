using System.Collections.Immutable;
using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Mailboxes;

/// <summary>
/// Persisted state of <see cref="MailboxGrain"/>: the message index in delivery order.
/// Replaced as a whole, never mutated in place, so a failed write can put the old value back.
/// </summary>
[GenerateSerializer]
public sealed record MailboxState
{
    [Id(0)] public bool Exists { get; init; }
    [Id(1)] public ImmutableArray<MessageEntry> Messages { get; init; } = [];
    /// <summary>Number of deliveries ever made to this mailbox.</summary>
    [Id(2)] public long NextSequence { get; init; }
}
