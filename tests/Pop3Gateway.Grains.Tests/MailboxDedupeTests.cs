using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Grains.Mailboxes;

namespace Pop3Gateway.Grains.Tests;

/// <summary>Idempotent delivery: the mailbox's dedupe set, on the in-process cluster with the embedded store.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MailboxDedupeTests(ClusterFixture fixture) : MailboxTestBase(fixture)
{
    private static readonly TimeSpan DefaultWindow = new DeliveryOptions().DedupeWindow;

    private Task<(StoredBody Body, DeliveryResult Result)> DeliverKeyed(string key, string text = "retried\n") =>
        Deliver(text, dedupeKey: key);

    [Fact]
    public async Task Deliver_SameKeyTwice_OneMessageAndTheFirstUidl()
    {
        await CreateMailbox();

        var (_, first) = await DeliverKeyed("key-1");
        var (second, repeated) = await DeliverKeyed("key-1");

        Assert.Equal(new DeliveryResult(MailboxStatus.Ok, first.Uidl, null, Duplicate: true), repeated);
        Assert.False(first.Duplicate);
        Assert.Equal(1, (await Mailbox.Describe()).MessageCount);
        Assert.Equal([first.Uidl], (await OpenEntries(NewLease())).Select(e => e.Uidl));
        Assert.True(await BodyExists(second.BodyId)); // the deliverer deletes it, not the grain
    }

    [Fact]
    public async Task Deliver_OtherKey_Stored()
    {
        await CreateMailbox();

        var (_, first) = await DeliverKeyed("same-id-first-digest");
        var (_, second) = await DeliverKeyed("same-id-other-digest");

        Assert.False(second.Duplicate);
        Assert.NotEqual(first.Uidl, second.Uidl);
        Assert.Equal(2, (await Mailbox.Describe()).MessageCount);
    }

    [Fact]
    public async Task Deliver_SameKeyAfterTheWindow_StoredAgainAndRememberedAnew()
    {
        await CreateMailbox();
        var (_, first) = await DeliverKeyed("key-w");

        Fixture.Clock.Advance(DefaultWindow + TimeSpan.FromSeconds(1));
        var (_, late) = await DeliverKeyed("key-w");
        var (_, again) = await DeliverKeyed("key-w");

        Assert.False(late.Duplicate);
        Assert.NotEqual(first.Uidl, late.Uidl);
        Assert.Equal((true, late.Uidl), (again.Duplicate, again.Uidl));
        Assert.Equal(2, (await Mailbox.Describe()).MessageCount);
    }

    [Fact]
    public async Task Deliver_SameKeyJustInsideTheWindow_Duplicate()
    {
        await CreateMailbox();
        var (_, first) = await DeliverKeyed("key-in");

        Fixture.Clock.Advance(DefaultWindow - TimeSpan.FromMinutes(1));
        var (_, retried) = await DeliverKeyed("key-in");

        Assert.Equal((true, first.Uidl), (retried.Duplicate, retried.Uidl));
    }

    [Fact]
    public async Task Deliver_SameKeyAfterDeactivation_StillDuplicate()
    {
        await CreateMailbox();
        var (_, first) = await DeliverKeyed("key-d");

        await Fixture.Cluster.DeactivateAsync(Mailbox);
        var (_, retried) = await DeliverKeyed("key-d");

        Assert.Equal((true, first.Uidl), (retried.Duplicate, retried.Uidl));
        Assert.Equal(1, (await Mailbox.Describe()).MessageCount);
    }

    [Fact]
    public async Task Deliver_MoreKeysThanTheBound_OnlyTheOldestForgotten()
    {
        await CreateMailbox();
        for (var i = 0; i <= RecentDeliveries.Capacity; i++)
        {
            Assert.Equal(MailboxStatus.Ok, (await DeliverKeyed($"key-{i}")).Result.Status);
        }

        var (_, oldest) = await DeliverKeyed("key-0");
        var (_, kept) = await DeliverKeyed("key-2");

        Assert.False(oldest.Duplicate);
        Assert.True(kept.Duplicate);
        Assert.Equal(RecentDeliveries.Capacity + 2, (await Mailbox.Describe()).MessageCount);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("0123456789012345678901234567890123456789abcd")]
    public async Task Deliver_InvalidKey_Refused(string key)
    {
        await CreateMailbox();

        var (_, result) = await DeliverKeyed(key);

        Assert.Equal(MailboxStatus.InvalidRequest, result.Status);
        Assert.Equal(0, (await Mailbox.Describe()).MessageCount);
    }

    [Fact]
    public void Serialize_FullSetOfLongestKeysAndUidls_WithinTheBudget()
    {
        var serializer = Fixture.Cluster.GetSiloServiceProvider().GetRequiredService<Serializer>();
        var now = DateTimeOffset.UtcNow;
        var full = Enumerable.Range(0, RecentDeliveries.Capacity)
            .Select(i => new RecentDelivery(i.ToString("D" + RecentDeliveries.MaxKeyLength), new string('u', 70), now))
            .ToImmutableArray();

        var empty = serializer.SerializeToArray(new MailboxState()).Length;
        var withSet = serializer.SerializeToArray(new MailboxState { Recent = full }).Length;

        Assert.InRange(withSet - empty, 1, 18 * 1024); // the budget RecentDeliveries states
    }
}
