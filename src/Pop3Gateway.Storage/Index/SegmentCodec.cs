using System.Buffers.Binary;
using System.Text;
using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Storage.Index;

/// <summary>One segment as the index directory names it: its name in the segment store, entry count and octets.</summary>
public sealed record SegmentRef(string Name, int Count, long Octets);

/// <summary>
/// Binary layout of an index segment: magic "P3SG", format byte, entry count (int32), then per
/// entry the UIDL (length byte + ASCII), the size (int64) and the body id (length byte + ASCII).
/// UIDLs and body ids are at most 70 ASCII characters, so a length byte always suffices.
/// </summary>
public static class SegmentCodec
{
    private const uint Magic = 0x47_53_33_50; // "P3SG" little-endian
    private const uint DirectoryMagic = 0x52_44_33_50; // "P3DR" little-endian
    private const byte Format = 1;
    private const int HeaderLength = 9;

    public static byte[] Encode(IReadOnlyList<MessageEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var length = HeaderLength;
        foreach (var entry in entries)
        {
            length += 1 + entry.Uidl.Length + sizeof(long) + 1 + entry.BodyId.Length;
        }
        var buffer = new byte[length];
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, Magic);
        buffer[4] = Format;
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(5), entries.Count);
        var position = HeaderLength;
        foreach (var entry in entries)
        {
            position = WriteAscii(buffer, position, entry.Uidl);
            BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(position), entry.Size);
            position += sizeof(long);
            position = WriteAscii(buffer, position, entry.BodyId);
        }
        return buffer;
    }

    public static MessageEntry[] Decode(ReadOnlySpan<byte> content, string name)
    {
        if (content.Length < HeaderLength || BinaryPrimitives.ReadUInt32LittleEndian(content) != Magic || content[4] != Format)
        {
            throw new InvalidDataException($"'{name}' is not an index segment of format {Format}");
        }
        var count = BinaryPrimitives.ReadInt32LittleEndian(content[5..]);
        var entries = new MessageEntry[count];
        var position = HeaderLength;
        try
        {
            for (var i = 0; i < count; i++)
            {
                var uidl = ReadAscii(content, ref position);
                var size = BinaryPrimitives.ReadInt64LittleEndian(content[position..]);
                position += sizeof(long);
                var bodyId = ReadAscii(content, ref position);
                entries[i] = new MessageEntry(uidl, size, bodyId);
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
        var buffer = new byte[length];
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, DirectoryMagic);
        buffer[4] = Format;
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(5), segments.Count);
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
        if (content.Length < HeaderLength || BinaryPrimitives.ReadUInt32LittleEndian(content) != DirectoryMagic || content[4] != Format)
        {
            throw new InvalidDataException($"'{name}' is not an index directory of format {Format}");
        }
        var count = BinaryPrimitives.ReadInt32LittleEndian(content[5..]);
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

    private static int WriteAscii(byte[] buffer, int position, string value)
    {
        if (value.Length > byte.MaxValue)
        {
            throw new ArgumentException($"'{value}' is too long for an index segment");
        }
        buffer[position] = (byte)value.Length;
        return position + 1 + Encoding.ASCII.GetBytes(value, buffer.AsSpan(position + 1));
    }

    private static string ReadAscii(ReadOnlySpan<byte> content, ref int position)
    {
        var length = content[position];
        var value = Encoding.ASCII.GetString(content.Slice(position + 1, length));
        position += 1 + length;
        return value;
    }
}
