namespace Pop3Gateway.Abstractions;

/// <summary>
/// The messages a session marked for deletion, as a bitmap: bit n-1 (byte (n-1)/8, bit (n-1)%8) is
/// message n. One bit per message of the snapshot whatever is marked, so deleting every one of
/// 5,000,000 messages sends 625 KB: one grain call, one atomic commit, far below Orleans' message
/// size limit. Trailing zero bytes are left off.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MessageMarks([property: Id(0)] byte[] Bits)
{
    public static MessageMarks None { get; } = new([]);

    /// <summary>The marks of <paramref name="numbers"/> (1-based; repeats allowed).</summary>
    public static MessageMarks Of(params IEnumerable<int> numbers)
    {
        var list = numbers as IReadOnlyCollection<int> ?? numbers.ToList();
        if (list.Count == 0)
        {
            return None;
        }
        var bits = new byte[(list.Max() + 7) / 8];
        foreach (var number in list)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
            bits[(number - 1) >> 3] |= (byte)(1 << ((number - 1) & 7));
        }
        return new MessageMarks(bits);
    }

    /// <summary>The marked numbers in ascending order.</summary>
    public IEnumerable<int> Numbers()
    {
        for (var i = 0; i < Bits.Length; i++)
        {
            for (int rest = Bits[i], bit = 0; rest != 0; rest >>= 1, bit++)
            {
                if ((rest & 1) != 0)
                {
                    yield return (i << 3) + bit + 1;
                }
            }
        }
    }

    /// <summary>The highest marked number, 0 when none is marked.</summary>
    public int Highest()
    {
        var last = Array.FindLastIndex(Bits, b => b != 0);
        return last < 0 ? 0 : (last << 3) + (31 - System.Numerics.BitOperations.LeadingZeroCount((uint)Bits[last])) + 1;
    }
}
