using Pop3Gateway.Protocol.Lmtp;

namespace Pop3Gateway.Protocol.Tests.Lmtp;

/// <summary>Recipients by table; deliveries recorded with their bytes.</summary>
internal sealed class FakeLmtpBackend : ILmtpBackend
{
    public Dictionary<string, RecipientStatus> Recipients { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, DeliveryStatus> DeliveryOutcomes { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<(string Mailbox, byte[] Body)> Delivered { get; } = [];

    public List<long> SizeHints { get; } = [];

    public Task<RecipientLookup> ResolveAsync(string address, long sizeHint, CancellationToken cancellationToken)
    {
        SizeHints.Add(sizeHint);
        var status = Recipients.GetValueOrDefault(address, RecipientStatus.Unknown);
        return Task.FromResult(new RecipientLookup(status, status == RecipientStatus.Ok ? address.ToLowerInvariant() : null));
    }

    public async Task<DeliveryOutcome> DeliverAsync(string mailbox, LmtpMessage message, CancellationToken cancellationToken)
    {
        var status = DeliveryOutcomes.GetValueOrDefault(mailbox, DeliveryStatus.Delivered);
        if (status != DeliveryStatus.Delivered)
        {
            return new DeliveryOutcome(status, null);
        }
        await using var stream = await message.OpenAsync(cancellationToken);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, cancellationToken);
        Delivered.Add((mailbox, copy.ToArray()));
        return new DeliveryOutcome(DeliveryStatus.Delivered, $"uidl-{Delivered.Count}");
    }
}
