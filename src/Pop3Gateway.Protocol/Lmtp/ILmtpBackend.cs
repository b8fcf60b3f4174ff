namespace Pop3Gateway.Protocol.Lmtp;

public enum RecipientStatus
{
    Ok,
    Unknown,
    OverQuota,
    Unavailable,
}

/// <summary>What RCPT TO found: the mailbox the address delivers to, when it is known.</summary>
public sealed record RecipientLookup(RecipientStatus Status, string? Mailbox);

public enum DeliveryStatus
{
    Delivered,
    OverQuota,
    Unavailable,
    Refused,
}

public sealed record DeliveryOutcome(DeliveryStatus Status, string? Uidl);

/// <summary>A received message, spooled by the connection handler: reopened once per recipient.</summary>
public sealed record LmtpMessage(long Size, Func<CancellationToken, Task<Stream>> OpenAsync);

/// <summary>What the LMTP session needs from the rest of the system. Implementations turn failures into statuses.</summary>
public interface ILmtpBackend
{
    /// <summary>Finds the mailbox of <paramref name="address"/> and checks that a message of <paramref name="sizeHint"/> octets fits.</summary>
    Task<RecipientLookup> ResolveAsync(string address, long sizeHint, CancellationToken cancellationToken);

    /// <summary>Stores the body and commits the index entry; on any failure leaves nothing behind.</summary>
    Task<DeliveryOutcome> DeliverAsync(string mailbox, LmtpMessage message, CancellationToken cancellationToken);
}
