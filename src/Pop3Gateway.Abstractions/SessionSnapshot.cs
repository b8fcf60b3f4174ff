using System.Buffers;
using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Abstractions;

/// <summary>
/// A newly opened POP3 session: the lease outcome and, when it is <see cref="MailboxStatus.Ok"/>,
/// the snapshot's totals and its first piece: the entries (size, UIDL, body id) of messages 1 to
/// <see cref="PieceMessages"/> at most, read through <see cref="SnapshotEntries"/>. A snapshot of
/// at most one piece (the common case) lets the front-end answer STAT, LIST, UIDL, RETR, TOP, DELE
/// and RSET without calling the grain again; a larger one fetches its further pieces with
/// <see cref="IMailboxGrain.ReadSnapshot"/>, <see cref="PieceMessages"/> messages each.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SessionSnapshot(
    [property: Id(0)] MailboxStatus Status,
    [property: Id(1)] int MessageCount,
    [property: Id(2)] long Octets,
    [property: Id(3)] string? LockHolder,
    [property: Id(4)] byte[] Entries,
    [property: Id(5)] int PieceMessages = SnapshotPieces.DefaultMessages)
{
    public static SessionSnapshot Failed(MailboxStatus status, string? lockHolder = null) => new(status, 0, 0, lockHolder, []);

    /// <summary>Messages whose entries <see cref="Entries"/> holds: the first piece.</summary>
    public int FirstPieceCount => Math.Min(MessageCount, PieceMessages);
}

/// <summary>
/// Entries <see cref="FirstMessage"/> to <see cref="FirstMessage"/> + <see cref="Count"/> - 1 of a session's
/// snapshot, in the layout of <see cref="SnapshotEntries"/>; empty unless <see cref="Status"/> is Ok.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SnapshotPiece(
    [property: Id(0)] MailboxStatus Status,
    [property: Id(1)] int FirstMessage,
    [property: Id(2)] int Count,
    [property: Id(3)] byte[] Entries)
{
    public static SnapshotPiece Failed(MailboxStatus status) => new(status, 0, 0, []);
}

/// <summary>How a snapshot is cut into pieces that each stay far below Orleans' message size limit.</summary>
public static class SnapshotPieces
{
    /// <summary>
    /// Bytes an entry takes at most: a size of up to 10 LEB128 bytes, and a UIDL and a body id of up to
    /// 70 characters with their length bytes.
    /// </summary>
    public const int MaxEntryBytes = 10 + 1 + 70 + 1 + 70;

    /// <summary>Messages per piece: at most 4096 x 152 bytes, about 620 KB, typically 4096 x 31 bytes, about 127 KB.</summary>
    public const int DefaultMessages = 4096;

    /// <summary>Bytes a piece never exceeds.</summary>
    public const int MaxBytes = 1024 * 1024;
}

/// <summary>
/// Access to <see cref="SessionSnapshot.Entries"/>: the entries one after another in the layout of
/// <see cref="SegmentCodec"/> (the index segments' own), found by offset. A message with a generated
/// body id as its UIDL costs about 31 bytes, a piece of 4096 messages about 127 KB.
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
