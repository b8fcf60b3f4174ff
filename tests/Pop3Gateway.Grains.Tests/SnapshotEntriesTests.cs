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
    public void Write_HundredThousandDeliveredMessages_SixtyTwoBytesEach()
    {
        // The DESIGN's ordinary big case: 100,000 messages with generated body ids as UIDLs.
        const int Count = 100_000;
        var output = new ArrayBufferWriter<byte>();
        var random = new Random(7);
        for (var i = 0; i < Count; i++)
        {
            var id = BodyIds.NewId(TimeProvider.System);
            SnapshotEntries.Write(output, new MessageEntry(id, random.Next(1_000, 2_000_000), id));
        }

        // A 26-character id twice, two length bytes and the size.
        Assert.Equal(Count * 62, output.WrittenCount);
        Assert.Equal(Count, SnapshotEntries.Index(output.WrittenSpan, Count).Length);
    }
}
