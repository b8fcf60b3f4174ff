using System.Buffers.Binary;
using System.Text;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Storage.Tests;

public sealed class SegmentCodecTests
{
    private static readonly MessageEntry[] Entries =
    [
        new("01JA0000000000000000000000", 0, "01JA0000000000000000000000"),
        new("uidl-kept-from-import", 127, "01JBODY"),
        new("b", 128, "b"),
        new(new string('x', 70), long.MaxValue, new string('y', 70)),
    ];

    [Fact]
    public void Encode_Entries_Format2RoundTrip()
    {
        var segment = SegmentCodec.Encode(Entries);

        Assert.Equal("P3SG"u8.ToArray(), segment[..4]);
        Assert.Equal(2, segment[4]);
        Assert.Equal(Entries.Length, BinaryPrimitives.ReadInt32LittleEndian(segment.AsSpan(5)));
        Assert.Equal(9 + Entries.Sum(SegmentCodec.EntryLength), segment.Length);
        Assert.Equal(Entries, SegmentCodec.Decode(segment, "s"));
    }

    [Fact]
    public void Encode_BodyIdEqualToUidl_StoredOnce()
    {
        var id = new string('A', BodyIds.Length);

        var segment = SegmentCodec.Encode([new MessageEntry(id, 300, id)]);

        // Size 300 as LEB128 (0xAC 0x02), the UIDL with its length byte, a zero length byte.
        Assert.Equal([0xAC, 0x02, BodyIds.Length, .. Encoding.ASCII.GetBytes(id), 0], segment[9..]);
    }

    [Fact]
    public void Decode_Format1Segment_ReadsEntriesOfTheOldLayout()
    {
        // Format 1 as shipped: per entry the UIDL (length byte + ASCII), the size (int64) and the
        // body id (length byte + ASCII), the body id in full even when it equals the UIDL.
        var bytes = new List<byte>();
        bytes.AddRange("P3SG"u8.ToArray());
        bytes.Add(1);
        var count = new byte[sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(count, Entries.Length);
        bytes.AddRange(count);
        foreach (var entry in Entries)
        {
            bytes.Add((byte)entry.Uidl.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(entry.Uidl));
            var size = new byte[sizeof(long)];
            BinaryPrimitives.WriteInt64LittleEndian(size, entry.Size);
            bytes.AddRange(size);
            bytes.Add((byte)entry.BodyId.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(entry.BodyId));
        }

        Assert.Equal(Entries, SegmentCodec.Decode(bytes.ToArray(), "old"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Decode_UnknownFormat_InvalidData(byte format)
    {
        var segment = SegmentCodec.Encode(Entries);
        segment[4] = format;

        Assert.Throws<InvalidDataException>(() => SegmentCodec.Decode(segment, "s"));
    }

    [Fact]
    public void Decode_TruncatedSegment_InvalidData()
    {
        var segment = SegmentCodec.Encode(Entries);

        Assert.Throws<InvalidDataException>(() => SegmentCodec.Decode(segment[..^1], "s"));
    }

    [Theory]
    [InlineData("", "body")]
    [InlineData("uidl", "")]
    public void Encode_EmptyUidlOrBodyId_Rejected(string uidl, string bodyId) =>
        Assert.Throws<ArgumentException>(() => SegmentCodec.Encode([new MessageEntry(uidl, 1, bodyId)]));

    [Fact]
    public void EncodeDirectory_Segments_Format1RoundTrip()
    {
        SegmentRef[] segments = [new("S1", 1_024, 5_000_000), new("S2", 3, 42)];

        var directory = SegmentCodec.EncodeDirectory(segments);

        Assert.Equal(1, directory[4]);
        Assert.Equal(segments, SegmentCodec.DecodeDirectory(directory, "d"));
    }
}
