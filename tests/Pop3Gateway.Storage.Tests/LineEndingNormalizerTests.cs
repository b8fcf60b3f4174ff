using System.Text;
using Pop3Gateway.Storage.Bodies;

namespace Pop3Gateway.Storage.Tests;

public sealed class LineEndingNormalizerTests
{
    [Theory]
    [InlineData("a\nb\n", "a\r\nb\r\n")]
    [InlineData("a\rb\r", "a\r\nb\r\n")]
    [InlineData("a\r\nb\r\n", "a\r\nb\r\n")]
    [InlineData("a\n\rb", "a\r\n\r\nb\r\n")]
    [InlineData("a\r\rb", "a\r\n\r\nb\r\n")]
    [InlineData("no newline", "no newline\r\n")]
    [InlineData("\n", "\r\n")]
    [InlineData("\r", "\r\n")]
    [InlineData("\r\n", "\r\n")]
    [InlineData("x\r\n\r\n", "x\r\n\r\n")]
    [InlineData("\n\n\n", "\r\n\r\n\r\n")]
    public void NormalizeAll_MixedLineEndings_GivesCrlfAndFinalCrlf(string input, string expected)
    {
        var output = LineEndingNormalizer.NormalizeAll(Encoding.ASCII.GetBytes(input));

        Assert.Equal(expected, Encoding.ASCII.GetString(output));
    }

    [Fact]
    public void NormalizeAll_Empty_StaysEmpty()
    {
        Assert.Empty(LineEndingNormalizer.NormalizeAll([]));
    }

    [Theory]
    [InlineData("Subject: x\r\n\r\nbody\r\nline\rbare\nend")]
    [InlineData("\r\n\r\r\n\n\r")]
    [InlineData("abc\r")]
    [InlineData("\r\n")]
    public void Normalize_EverySplitPoint_GivesTheSameResult(string input)
    {
        var bytes = Encoding.ASCII.GetBytes(input);
        var whole = LineEndingNormalizer.NormalizeAll(bytes);

        for (var split = 0; split <= bytes.Length; split++)
        {
            var normalizer = new LineEndingNormalizer();
            var output = new List<byte>();
            output.AddRange(Run(normalizer, bytes.AsSpan(0, split)));
            output.AddRange(Run(normalizer, bytes.AsSpan(split)));
            var tail = new byte[2];
            output.AddRange(tail.AsSpan(0, normalizer.Complete(tail)).ToArray());

            Assert.Equal(whole, output.ToArray());
            Assert.Equal(whole.Length, normalizer.OutputLength);
        }
    }

    [Fact]
    public void Normalize_CrlfSplitAcrossChunks_IsKeptAsOneLineEnd()
    {
        var normalizer = new LineEndingNormalizer();

        var first = Run(normalizer, "line\r"u8);
        var second = Run(normalizer, "\nnext\r\n"u8);
        var tail = new byte[2];
        var tailLength = normalizer.Complete(tail);

        Assert.Equal("line", Encoding.ASCII.GetString(first));
        Assert.Equal("\r\nnext\r\n", Encoding.ASCII.GetString(second));
        Assert.Equal(0, tailLength);
        Assert.Equal(12, normalizer.OutputLength);
        Assert.Equal(12, normalizer.InputLength);
    }

    [Fact]
    public void Complete_CrAtTheVeryEnd_BecomesCrlf()
    {
        var normalizer = new LineEndingNormalizer();
        Run(normalizer, "x\r"u8);
        var tail = new byte[2];

        Assert.Equal(2, normalizer.Complete(tail));
        Assert.Equal("\r\n", Encoding.ASCII.GetString(tail));
        Assert.Equal(3, normalizer.OutputLength);
    }

    [Fact]
    public void Normalize_OneByteChunks_MatchesWholeInput()
    {
        var bytes = Encoding.ASCII.GetBytes("a\rb\nc\r\nd\r\r\n\n");
        var normalizer = new LineEndingNormalizer();
        var output = new List<byte>();
        foreach (var b in bytes)
        {
            output.AddRange(Run(normalizer, [b]));
        }
        var tail = new byte[2];
        output.AddRange(tail.AsSpan(0, normalizer.Complete(tail)).ToArray());

        Assert.Equal("a\r\nb\r\nc\r\nd\r\n\r\n\r\n", Encoding.ASCII.GetString(output.ToArray()));
    }

    [Fact]
    public void Normalize_OutputTooSmall_Throws()
    {
        var normalizer = new LineEndingNormalizer();

        Assert.Throws<ArgumentException>(() => normalizer.Normalize("abc"u8, new byte[7]));
    }

    private static byte[] Run(LineEndingNormalizer normalizer, ReadOnlySpan<byte> input)
    {
        var output = new byte[LineEndingNormalizer.MaxOutputLength(input.Length)];
        return output[..normalizer.Normalize(input, output)];
    }
}
