using System.Buffers;
using System.Text;

namespace Pop3Gateway.Protocol.Tests.Support;

internal static class Bytes
{
    public static byte[] Of(string text) => Encoding.Latin1.GetBytes(text);

    public static string Text(ReadOnlySequence<byte> bytes) => Encoding.Latin1.GetString(bytes.ToArray());

    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    public static ReadOnlySequence<byte> Sequence(string text) => new(Of(text));

    /// <summary>A sequence of several segments, split before each of <paramref name="splits"/> (ascending offsets).</summary>
    public static ReadOnlySequence<byte> Segmented(byte[] data, params int[] splits)
    {
        var bounds = splits.Where(split => split > 0 && split < data.Length).Distinct().Order().Append(data.Length).ToArray();
        var first = new Segment(data.AsMemory(0, bounds[0]), 0);
        var last = first;
        for (var i = 1; i < bounds.Length; i++)
        {
            last = last.Append(data.AsMemory(bounds[i - 1], bounds[i] - bounds[i - 1]));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>One segment per byte: the worst case for code that reads sequences.</summary>
    public static ReadOnlySequence<byte> ByteBySegment(string text)
        => Segmented(Of(text), Enumerable.Range(1, Math.Max(0, text.Length - 1)).ToArray());

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
