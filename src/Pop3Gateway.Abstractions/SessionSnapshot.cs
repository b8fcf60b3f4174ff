using System.Buffers;
using System.Text;

namespace Pop3Gateway.Abstractions;

/// <summary>
/// A newly opened POP3 session: the lease outcome and, when it is <see cref="MailboxStatus.Ok"/>,
/// every message of the snapshot (size, UIDL, body id) in the compact layout of
/// <see cref="SnapshotEntries"/>. With it the front-end answers STAT, LIST, UIDL, RETR, TOP, DELE
/// and RSET without calling the grain again.
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
/// Layout of <see cref="SessionSnapshot.Entries"/>, per message in order: the size (unsigned
/// LEB128), the UIDL (length byte + ASCII) and the body id (length byte + ASCII, or a zero length
/// byte when it equals the UIDL, as it does for every message not imported with its own UIDL).
/// UIDLs and body ids are at most 70 ASCII characters, so a length byte always suffices; a message
/// costs about 30 bytes, a mailbox of 100,000 messages about 3 MB.
/// </summary>
public static class SnapshotEntries
{
    /// <summary>Appends one entry to <paramref name="output"/>.</summary>
    public static void Write(IBufferWriter<byte> output, MessageEntry entry)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(entry);
        var sameBody = string.Equals(entry.Uidl, entry.BodyId, StringComparison.Ordinal);
        var length = 10 + 1 + entry.Uidl.Length + 1 + (sameBody ? 0 : entry.BodyId.Length);
        var span = output.GetSpan(length);
        var position = 0;
        for (var size = (ulong)entry.Size; ; size >>= 7)
        {
            if (size < 0x80)
            {
                span[position++] = (byte)size;
                break;
            }
            span[position++] = (byte)(size | 0x80);
        }
        position = WriteAscii(span, position, entry.Uidl);
        position = sameBody ? WriteLength(span, position, 0) : WriteAscii(span, position, entry.BodyId);
        output.Advance(position);
    }

    /// <summary>Start offsets of the <paramref name="count"/> entries in <paramref name="entries"/>, for direct access.</summary>
    public static int[] Index(ReadOnlySpan<byte> entries, int count)
    {
        var starts = new int[count];
        var position = 0;
        for (var i = 0; i < count; i++)
        {
            starts[i] = position;
            while ((entries[position++] & 0x80) != 0)
            {
            }
            position += 1 + entries[position];
            position += 1 + entries[position];
        }
        if (position != entries.Length)
        {
            throw new InvalidDataException($"session snapshot holds {entries.Length} bytes, {count} entries take {position}");
        }
        return starts;
    }

    /// <summary>The entry at <paramref name="start"/> (an offset from <see cref="Index"/>).</summary>
    public static MessageEntry Read(ReadOnlySpan<byte> entries, int start)
    {
        var position = start;
        var size = ReadSize(entries, ref position);
        var uidl = ReadAscii(entries, ref position);
        var bodyId = entries[position] == 0 ? uidl : ReadAscii(entries, ref position);
        return new MessageEntry(uidl, size, bodyId);
    }

    /// <summary>Only the size of the entry at <paramref name="start"/>: no strings made.</summary>
    public static long ReadSize(ReadOnlySpan<byte> entries, int start) => ReadSize(entries, ref start);

    private static long ReadSize(ReadOnlySpan<byte> entries, ref int position)
    {
        ulong size = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = entries[position++];
            size |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return (long)size;
            }
        }
    }

    private static int WriteAscii(Span<byte> span, int position, string value)
    {
        if (value.Length is 0 or > byte.MaxValue)
        {
            throw new ArgumentException($"'{value}' cannot be a UIDL or body id");
        }
        position = WriteLength(span, position, value.Length);
        return position + Encoding.ASCII.GetBytes(value, span[position..]);
    }

    private static int WriteLength(Span<byte> span, int position, int length)
    {
        span[position] = (byte)length;
        return position + 1;
    }

    private static string ReadAscii(ReadOnlySpan<byte> entries, ref int position)
    {
        var length = entries[position];
        var value = Encoding.ASCII.GetString(entries.Slice(position + 1, length));
        position += 1 + length;
        return value;
    }
}
