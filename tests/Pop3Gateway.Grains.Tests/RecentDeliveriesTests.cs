using System.Collections.Immutable;
using Pop3Gateway.Grains.Mailboxes;

namespace Pop3Gateway.Grains.Tests;

public sealed class RecentDeliveriesTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromHours(24);

    private static RecentDelivery At(string key, TimeSpan ago) => new(key, "uidl-" + key, Now - ago);

    [Fact]
    public void Find_LiveKey_ItsDelivery()
    {
        ImmutableArray<RecentDelivery> recent = [At("a", TimeSpan.FromHours(1)), At("b", TimeSpan.FromHours(2))];

        Assert.Equal("uidl-b", RecentDeliveries.Find(recent, "b", Now, Window)?.Uidl);
    }

    [Fact]
    public void Find_ExpiredOrUnknownKeyOrDefaultArray_Null()
    {
        ImmutableArray<RecentDelivery> recent = [At("old", Window)];

        Assert.Null(RecentDeliveries.Find(recent, "old", Now, Window));
        Assert.Null(RecentDeliveries.Find(recent, "other", Now, Window));
        Assert.Null(RecentDeliveries.Find(default, "old", Now, Window));
    }

    [Fact]
    public void Record_ExpiredEntries_Pruned()
    {
        ImmutableArray<RecentDelivery> recent = [At("old", Window + TimeSpan.FromSeconds(1)), At("live", TimeSpan.FromHours(23))];

        var next = RecentDeliveries.Record(recent, At("new", TimeSpan.Zero), Now, Window);

        Assert.Equal(["live", "new"], next.Select(d => d.Key));
    }

    [Fact]
    public void Record_BeyondCapacity_OldestDropped()
    {
        var recent = Enumerable.Range(0, RecentDeliveries.Capacity).Select(i => At($"k{i}", TimeSpan.FromSeconds(RecentDeliveries.Capacity - i))).ToImmutableArray();

        var next = RecentDeliveries.Record(recent, At("new", TimeSpan.Zero), Now, Window);

        Assert.Equal(RecentDeliveries.Capacity, next.Length);
        Assert.Equal(("k1", "new"), (next[0].Key, next[^1].Key));
    }

    [Fact]
    public void Record_ZeroWindow_Empty()
    {
        ImmutableArray<RecentDelivery> recent = [At("a", TimeSpan.Zero)];

        Assert.Empty(RecentDeliveries.Record(recent, At("b", TimeSpan.Zero), Now, TimeSpan.Zero));
    }
}
