namespace Pop3Gateway.Abstractions;

/// <summary>
/// One recipient address (key: its normalized form, see <see cref="MailAddresses"/>) and the
/// account it delivers to. Keyed by address so that any front-end of a cluster resolves it
/// with one grain call. Written only by <see cref="IAccountGrain"/>.
/// </summary>
[Alias("Pop3Gateway.IAddressGrain")]
public interface IAddressGrain : IGrainWithStringKey
{
    /// <summary>The owning account and its mailbox, or null when the address is not assigned.</summary>
    [Alias("Resolve")] Task<AddressTarget?> Resolve();

    /// <summary>Assigns the address to <paramref name="login"/>; AlreadyExists when another account owns it.</summary>
    [Alias("Claim")] Task<AdminResult> Claim(string login, string mailbox);

    /// <summary>Unassigns the address if <paramref name="login"/> owns it. Idempotent.</summary>
    [Alias("Release")] Task<AdminResult> Release(string login);
}

[GenerateSerializer, Immutable]
public sealed record AddressTarget(
    [property: Id(0)] string Login,
    [property: Id(1)] string Mailbox);
