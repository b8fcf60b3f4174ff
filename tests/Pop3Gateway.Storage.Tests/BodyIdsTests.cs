using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Storage.Tests;

public sealed class BodyIdsTests
{
    [Fact]
    public void NewId_ManyIds_AreUniqueAndWellFormed()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => BodyIds.NewId(TimeProvider.System)).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id =>
        {
            Assert.Equal(BodyIds.Length, id.Length);
            Assert.True(BodyIds.IsWellFormed(id));
            Assert.All(id, c => Assert.InRange(c, '!', '~'));
            Assert.DoesNotContain(id, c => c is 'I' or 'L' or 'O' or 'U');
        });
    }

    [Fact]
    public void NewId_LaterTime_SortsAfter()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2024-01-01T00:00:00Z"));
        var first = BodyIds.NewId(clock);
        clock.Now = clock.Now.AddMilliseconds(1);
        var second = BodyIds.NewId(clock);

        Assert.True(string.CompareOrdinal(first, second) < 0);
    }

    [Fact]
    public void TryGetTime_GeneratedId_TheTimeToTheMillisecond()
    {
        var written = DateTimeOffset.Parse("2026-11-28T12:34:56.789Z");

        Assert.True(BodyIds.TryGetTime(BodyIds.NewId(new ManualClock(written)), out var time));
        Assert.Equal(written, time);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("legacy-uidl")]
    [InlineData("01M8H2TSA353HFH1X64Q0B8DT")]
    [InlineData("01M8H2TSA353HFH1X64Q0B8DTU")]
    [InlineData("ZZZZZZZZZZ353HFH1X64Q0B8DT")]
    public void TryGetTime_NotAGeneratedId_False(string? id)
    {
        Assert.False(BodyIds.TryGetTime(id, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a b")]
    public void IsWellFormed_UnsafeNames_AreRejected(string? id)
    {
        Assert.False(BodyIds.IsWellFormed(id));
    }

    [Fact]
    public void IsWellFormed_SeventyOneCharacters_IsRejected()
    {
        Assert.True(BodyIds.IsWellFormed(new string('a', 70)));
        Assert.False(BodyIds.IsWellFormed(new string('a', 71)));
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
