using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Pop3Gateway.Abstractions.Storage;

/// <summary>One segment as the index directory names it: its name in the segment store, entry count and octets.</summary>
public sealed record SegmentRef(string Name, int Count, long Octets);

/// <summary>
/// The one binary layout of <see cref="MessageEntry"/>, used by the index segments in the segment
/// store and by the entries of a <see cref="SessionSnapshot"/>. An entry is the UIDL (length byte +
/// ASCII), the size (int64) and the body id (length byte + ASCII); UIDLs and body ids are at most
/// 70 ASCII characters, so a length byte always suffices. A segment is magic "P3SG", a format byte,
/// the entry count (int32), then its entries.
/// </summary>
public static class SegmentCodec
{
    private const uint Magic = 0x47_53_33_50; // "P3SG" little-endian
    private const uint DirectoryMagic = 0x52_44_33_50; // "P3DR" little-endian
    private const byte Format = 1;
    private const int HeaderLength = 9;

    /// <summary>Bytes that <paramref name="entry"/> takes in this layout.</summary>
    public static int EntryLength(MessageEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return 1 + entry.Uidl.Length + sizeof(long) + 1 + entry.BodyId.Length;
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
        var uidl = ReadAscii(content, ref position);
        var size = BinaryPrimitives.ReadInt64LittleEndian(content[position..]);
        position += sizeof(long);
        var bodyId = ReadAscii(content, ref position);
        return new MessageEntry(uidl, size, bodyId);
    }

    /// <summary>Only the size of the entry at <paramref name="position"/>: no strings made.</summary>
    public static long ReadEntrySize(ReadOnlySpan<byte> content, int position) =>
        BinaryPrimitives.ReadInt64LittleEndian(content[(position + 1 + content[position])..]);

    /// <summary>The position just after the entry at <paramref name="position"/>.</summary>
    public static int SkipEntry(ReadOnlySpan<byte> content, int position)
    {
        position += 1 + content[position] + sizeof(long);
        return position + 1 + content[position];
    }

    public static byte[] Encode(IReadOnlyList<MessageEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var length = HeaderLength + entries.Sum(EntryLength);
        var buffer = NewBuffer(length, Magic, entries.Count);
        var position = HeaderLength;
        foreach (var entry in entries)
        {
            position = WriteEntry(buffer, position, entry);
        }
        return buffer;
    }

    public static MessageEntry[] Decode(ReadOnlySpan<byte> content, string name)
    {
        var count = ReadHeader(content, Magic, "segment", name);
        var entries = new MessageEntry[count];
        var position = HeaderLength;
        try
        {
            for (var i = 0; i < count; i++)
            {
                entries[i] = ReadEntry(content, ref position);
            }
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new InvalidDataException($"index segment '{name}' is truncated", e);
        }
        return entries;
    }

    /// <summary>
    /// Layout of a segment directory: magic "P3DR", format byte, count (int32), then per segment its
    /// name (length byte + ASCII), entry count (int32) and octets (int64).
    /// </summary>
    public static byte[] EncodeDirectory(IReadOnlyList<SegmentRef> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var length = HeaderLength + segments.Sum(s => 1 + s.Name.Length + sizeof(int) + sizeof(long));
        var buffer = NewBuffer(length, DirectoryMagic, segments.Count);
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
        var count = ReadHeader(content, DirectoryMagic, "directory", name);
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
    private static byte[] NewBuffer(int length, uint magic, int count)
    {
        var buffer = new byte[length];
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, magic);
        buffer[4] = Format;
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(5), count);
        return buffer;
    }

    /// <summary>Checks the header written by <see cref="NewBuffer"/> and returns its count.</summary>
    private static int ReadHeader(ReadOnlySpan<byte> content, uint magic, string kind, string name)
    {
        if (content.Length < HeaderLength || BinaryPrimitives.ReadUInt32LittleEndian(content) != magic || content[4] != Format)
        {
            throw new InvalidDataException($"'{name}' is not an index {kind} of format {Format}");
        }
        return BinaryPrimitives.ReadInt32LittleEndian(content[5..]);
    }

    private static int WriteEntry(Span<byte> buffer, int position, MessageEntry entry)
    {
        position = WriteAscii(buffer, position, entry.Uidl);
        BinaryPrimitives.WriteInt64LittleEndian(buffer[position..], entry.Size);
        position += sizeof(long);
        return WriteAscii(buffer, position, entry.BodyId);
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
