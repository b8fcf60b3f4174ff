using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Pop3Gateway.Abstractions.Storage;

/// <summary>One segment as the index directory names it: its name in the segment store, entry count and octets.</summary>
public sealed record SegmentRef(string Name, int Count, long Octets);

/// <summary>
/// The one binary layout of <see cref="MessageEntry"/>, used by the index segments in the segment
/// store and by the entries of a <see cref="SessionSnapshot"/>. An entry is the size (unsigned
/// LEB128), the UIDL (length byte + ASCII) and the body id (length byte + ASCII, or a zero length
/// byte when it equals the UIDL, as it does for every message not imported with its own UIDL).
/// UIDLs and body ids are 1 to 70 ASCII characters, so a length byte always suffices; a message
/// with a generated body id as its UIDL takes about 31 bytes. A segment is magic "P3SG", a format
/// byte (2), the entry count (int32), then its entries. Segments of format 1, whose entries were
/// UIDL, int64 size and body id in full, are still read (<see cref="ReadFormat1Entry"/>), never written.
/// </summary>
public static class SegmentCodec
{
    private const uint Magic = 0x47_53_33_50; // "P3SG" little-endian
    private const uint DirectoryMagic = 0x52_44_33_50; // "P3DR" little-endian
    private const byte SegmentFormat = 2;
    private const byte Format1Segment = 1;
    private const byte DirectoryFormat = 1;
    private const int HeaderLength = 9;

    /// <summary>Bytes that <paramref name="entry"/> takes in this layout.</summary>
    public static int EntryLength(MessageEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var sizeLength = 1;
        for (var size = (ulong)entry.Size; size >= 0x80; size >>= 7)
        {
            sizeLength++;
        }
        return sizeLength + 1 + entry.Uidl.Length + 1 + (SameBody(entry) ? 0 : entry.BodyId.Length);
    }

    /// <summary>Appends one entry to <paramref name="output"/>.</summary>
    public static void WriteEntry(IBufferWriter<byte> output, MessageEntry entry)
    {
        ArgumentNullException.ThrowIfNull(output);
        var length = EntryLength(entry);
        WriteEntry(output.GetSpan(length), 0, entry);
        output.Advance(length);
    }

    /// <summary>The entry at <paramref name="position"/>; moves <paramref name="position"/> past it.</summary>
    public static MessageEntry ReadEntry(ReadOnlySpan<byte> content, ref int position)
    {
        var size = ReadSize(content, ref position);
        var uidl = ReadAscii(content, ref position);
        string bodyId;
        if (content[position] == 0)
        {
            bodyId = uidl;
            position++;
        }
        else
        {
            bodyId = ReadAscii(content, ref position);
        }
        return new MessageEntry(uidl, size, bodyId);
    }

    /// <summary>Only the size of the entry at <paramref name="position"/>: no strings made.</summary>
    public static long ReadEntrySize(ReadOnlySpan<byte> content, int position) => ReadSize(content, ref position);

    /// <summary>The position just after the entry at <paramref name="position"/>.</summary>
    public static int SkipEntry(ReadOnlySpan<byte> content, int position)
    {
        while ((content[position++] & 0x80) != 0)
        {
        }
        position += 1 + content[position];
        return position + 1 + content[position];
    }

    public static byte[] Encode(IReadOnlyList<MessageEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var length = HeaderLength + entries.Sum(EntryLength);
        var buffer = NewBuffer(length, Magic, SegmentFormat, entries.Count);
        var position = HeaderLength;
        foreach (var entry in entries)
        {
            position = WriteEntry(buffer, position, entry);
        }
        return buffer;
    }

    /// <summary>The entries of a segment of format 2, or of format 1 as segments were written before.</summary>
    public static MessageEntry[] Decode(ReadOnlySpan<byte> content, string name)
    {
        var (count, format) = ReadHeader(content, Magic, "segment", name, Format1Segment, SegmentFormat);
        var entries = new MessageEntry[count];
        var position = HeaderLength;
        try
        {
            for (var i = 0; i < count; i++)
            {
                entries[i] = format == Format1Segment ? ReadFormat1Entry(content, ref position) : ReadEntry(content, ref position);
            }
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"index segment '{name}' is truncated", e);
        }
        return entries;
    }

    /// <summary>
    /// An entry of a format-1 segment: UIDL (length byte + ASCII), size (int64), body id (length
    /// byte + ASCII). Segments stored before format 2 hold these; they are read, never written.
    /// </summary>
    private static MessageEntry ReadFormat1Entry(ReadOnlySpan<byte> content, ref int position)
    {
        var uidl = ReadAscii(content, ref position);
        var size = BinaryPrimitives.ReadInt64LittleEndian(content[position..]);
        position += sizeof(long);
        var bodyId = ReadAscii(content, ref position);
        return new MessageEntry(uidl, size, bodyId);
    }

    /// <summary>
    /// Layout of a segment directory: magic "P3DR", format byte, count (int32), then per segment its
    /// name (length byte + ASCII), entry count (int32) and octets (int64).
    /// </summary>
    public static byte[] EncodeDirectory(IReadOnlyList<SegmentRef> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var length = HeaderLength + segments.Sum(s => 1 + s.Name.Length + sizeof(int) + sizeof(long));
        var buffer = NewBuffer(length, DirectoryMagic, DirectoryFormat, segments.Count);
        var position = HeaderLength;
        foreach (var segment in segments)
        {
            position = WriteAscii(buffer, position, segment.Name);
            BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(position), segment.Count);
            BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(position + sizeof(int)), segment.Octets);
            position += sizeof(int) + sizeof(long);
        }
        return buffer;
    }

    public static SegmentRef[] DecodeDirectory(ReadOnlySpan<byte> content, string name)
    {
        var (count, _) = ReadHeader(content, DirectoryMagic, "directory", name, DirectoryFormat, DirectoryFormat);
        var segments = new SegmentRef[count];
        var position = HeaderLength;
        try
        {
            for (var i = 0; i < count; i++)
            {
                var segment = ReadAscii(content, ref position);
                var entries = BinaryPrimitives.ReadInt32LittleEndian(content[position..]);
                var octets = BinaryPrimitives.ReadInt64LittleEndian(content[(position + sizeof(int))..]);
                position += sizeof(int) + sizeof(long);
                segments[i] = new SegmentRef(segment, entries, octets);
            }
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new InvalidDataException($"index directory '{name}' is truncated", e);
        }
        return segments;
    }

    /// <summary>A buffer of <paramref name="length"/> bytes that starts with the header: magic, format byte, count.</summary>
    private static byte[] NewBuffer(int length, uint magic, byte format, int count)
    {
        var buffer = new byte[length];
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, magic);
        buffer[4] = format;
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(5), count);
        return buffer;
    }

    /// <summary>
    /// Checks the header written by <see cref="NewBuffer"/>, whose format byte must be from
    /// <paramref name="oldest"/> to <paramref name="newest"/>, and returns its count and format.
    /// </summary>
    private static (int Count, byte Format) ReadHeader(ReadOnlySpan<byte> content, uint magic, string kind, string name, byte oldest, byte newest)
    {
        if (content.Length < HeaderLength || BinaryPrimitives.ReadUInt32LittleEndian(content) != magic || content[4] < oldest || content[4] > newest)
        {
            throw new InvalidDataException($"'{name}' is not an index {kind} of format {oldest} to {newest}");
        }
        return (BinaryPrimitives.ReadInt32LittleEndian(content[5..]), content[4]);
    }

    private static bool SameBody(MessageEntry entry) => string.Equals(entry.Uidl, entry.BodyId, StringComparison.Ordinal);

    private static int WriteEntry(Span<byte> buffer, int position, MessageEntry entry)
    {
        for (var size = (ulong)entry.Size; ; size >>= 7)
        {
            if (size < 0x80)
            {
                buffer[position++] = (byte)size;
                break;
            }
            buffer[position++] = (byte)(size | 0x80);
        }
        position = WriteId(buffer, position, entry.Uidl);
        if (SameBody(entry))
        {
            buffer[position] = 0;
            return position + 1;
        }
        return WriteId(buffer, position, entry.BodyId);
    }

    private static long ReadSize(ReadOnlySpan<byte> content, ref int position)
    {
        ulong size = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = content[position++];
            size |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return (long)size;
            }
        }
    }

    /// <summary>A UIDL or body id: not empty, since a zero length byte stands for "the body id is the UIDL".</summary>
    private static int WriteId(Span<byte> buffer, int position, string value)
    {
        if (value.Length == 0)
        {
            throw new ArgumentException("an empty string cannot be a UIDL or body id");
        }
        return WriteAscii(buffer, position, value);
    }

    private static int WriteAscii(Span<byte> buffer, int position, string value)
    {
        if (value.Length > byte.MaxValue)
        {
            throw new ArgumentException($"'{value}' is too long for an index segment");
        }
        buffer[position] = (byte)value.Length;
        return position + 1 + Encoding.ASCII.GetBytes(value, buffer[(position + 1)..]);
    }

    private static string ReadAscii(ReadOnlySpan<byte> content, ref int position)
    {
        var length = content[position];
        var value = Encoding.ASCII.GetString(content.Slice(position + 1, length));
        position += 1 + length;
        return value;
    }
}
