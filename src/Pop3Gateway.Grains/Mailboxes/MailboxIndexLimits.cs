namespace Pop3Gateway.Grains.Mailboxes;

/// <summary>Sizes of the segmented mailbox index.</summary>
public static class MailboxIndexLimits
{
    /// <summary>Entries per segment: a commit that deletes one message rewrites at most this many (about 64 KB).</summary>
    public const int SegmentCapacity = 1024;

    /// <summary>Deliveries kept in the header before they are folded into a segment: bounds the bytes each delivery writes.</summary>
    public const int TailCapacity = 64;
}
