using System.Buffers;
using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Abstractions;

/// <summary>
/// A newly opened POP3 session: the lease outcome and, when it is <see cref="MailboxStatus.Ok"/>,
/// every message of the snapshot (size, UIDL, body id), read through <see cref="SnapshotEntries"/>.
/// With it the front-end answers STAT, LIST, UIDL, RETR, TOP, DELE and RSET without calling the
/// grain again.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SessionSnapshot(
    [property: Id(0)] MailboxStatus Status,
    [property: Id(1)] int MessageCount,
    [property: Id(2)] long Octets,
    [property: Id(3)] string? LockHolder,
    [property: Id(4)] byte[] Entries)
{
    public static SessionSnapshot Failed(MailboxStatus status, string? lockHolder = null) => new(status, 0, 0, lockHolder, []);
}

/// <summary>
/// Access to <see cref="SessionSnapshot.Entries"/>: the entries one after another in the layout of
/// <see cref="SegmentCodec"/> (the index segments' own), found by offset. A message with a generated
/// body id as its UIDL costs about 31 bytes, a mailbox of 100,000 messages about 3.1 MB.
/// </summary>
public static class SnapshotEntries
{
    /// <summary>Appends one entry to <paramref name="output"/>.</summary>
    public static void Write(IBufferWriter<byte> output, MessageEntry entry) => SegmentCodec.WriteEntry(output, entry);

    /// <summary>Start offsets of the <paramref name="count"/> entries in <paramref name="entries"/>, for direct access.</summary>
    public static int[] Index(ReadOnlySpan<byte> entries, int count)
    {
        var starts = new int[count];
        var position = 0;
        for (var i = 0; i < count; i++)
        {
            starts[i] = position;
            position = SegmentCodec.SkipEntry(entries, position);
        }
        if (position != entries.Length)
        {
            throw new InvalidDataException($"session snapshot holds {entries.Length} bytes, {count} entries take {position}");
        }
        return starts;
    }

    /// <summary>The entry at <paramref name="start"/> (an offset from <see cref="Index"/>).</summary>
    public static MessageEntry Read(ReadOnlySpan<byte> entries, int start) => SegmentCodec.ReadEntry(entries, ref start);

    /// <summary>Only the size of the entry at <paramref name="start"/>: no strings made.</summary>
    public static long ReadSize(ReadOnlySpan<byte> entries, int start) => SegmentCodec.ReadEntrySize(entries, start);
}
