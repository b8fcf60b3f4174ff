using System.Buffers;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Grains.Tests;

public sealed class SnapshotEntriesTests
{
    [Fact]
    public void WriteIndexRead_MixedEntries_RoundTrip()
    {
        MessageEntry[] entries =
        [
            new("a", 1, "a"),
            new("uidl-kept-from-import", 127, "01JBODY"),
            new("b", 128, "b"),
            new(new string('x', 70), long.MaxValue, new string('y', 70)),
        ];
        var output = new ArrayBufferWriter<byte>();
        foreach (var entry in entries)
        {
            SnapshotEntries.Write(output, entry);
        }
        var bytes = output.WrittenSpan.ToArray();

        var starts = SnapshotEntries.Index(bytes, entries.Length);

        Assert.Equal(entries, starts.Select(start => SnapshotEntries.Read(bytes, start)));
        Assert.Equal(entries.Select(e => e.Size), starts.Select(start => SnapshotEntries.ReadSize(bytes, start)));
    }

    [Fact]
    public void Index_CountDisagreesWithBytes_InvalidData()
    {
        var output = new ArrayBufferWriter<byte>();
        SnapshotEntries.Write(output, new MessageEntry("a", 1, "a"));
        SnapshotEntries.Write(output, new MessageEntry("b", 2, "b"));

        Assert.Throws<InvalidDataException>(() => SnapshotEntries.Index(output.WrittenSpan, 1));
    }

    [Fact]
    public void Write_Entries_SameBytesAsTheEntriesOfAnIndexSegment()
    {
        MessageEntry[] entries = [new("a", 1, "a"), new("uidl-kept-from-import", 300, "01JBODY")];
        var output = new ArrayBufferWriter<byte>();
        foreach (var entry in entries)
        {
            SnapshotEntries.Write(output, entry);
        }

        var segment = SegmentCodec.Encode(entries);

        Assert.Equal(segment.AsSpan(segment.Length - output.WrittenCount).ToArray(), output.WrittenSpan.ToArray());
        Assert.Equal(entries, SegmentCodec.Decode(segment, "s"));
    }

    [Fact]
    public void Write_HundredThousandDeliveredMessages_ThirtyOneBytesEach()
    {
        // The DESIGN's ordinary big case: 100,000 messages with generated body ids as UIDLs.
        const int Count = 100_000;
        var output = new ArrayBufferWriter<byte>();
        var random = new Random(7);
        var smallSizes = 0;
        for (var i = 0; i < Count; i++)
        {
            var id = BodyIds.NewId(TimeProvider.System);
            var size = random.Next(1_000, 2_000_000);
            smallSizes += size < 1 << 14 ? 1 : 0;
            SnapshotEntries.Write(output, new MessageEntry(id, size, id));
        }

        // The 26-character id once, its length byte, a zero length byte for the body id and the
        // size in 3 bytes (2 below 16 KiB): about 31 bytes a message, 3.1 MB in all.
        Assert.Equal(Count * 31 - smallSizes, output.WrittenCount);
        Assert.InRange(output.WrittenCount, 3_050_000, 3_100_000);
        Assert.Equal(Count, SnapshotEntries.Index(output.WrittenSpan, Count).Length);
    }
}
