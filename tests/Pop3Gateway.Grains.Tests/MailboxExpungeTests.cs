using System.Text;
using Microsoft.Extensions.Options;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;
using Pop3Gateway.Grains.Mailboxes;
using Pop3Gateway.Storage.Embedded;

namespace Pop3Gateway.Grains.Tests;

/// <summary>The operator calls of the mailbox grain: expunge, and the paged index read an export uses.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MailboxExpungeTests(ClusterFixture fixture) : MailboxTestBase(fixture)
{
    /// <summary>Enough messages for a segment and a tail.</summary>
    private const int SegmentAndTail = MailboxIndexLimits.TailCapacity + 6;

    private IMailboxMaintenanceGrain Maintenance => Fixture.Grains.GetGrain<IMailboxMaintenanceGrain>(Name);

    [Fact]
    public async Task Expunge_All_RemovesEveryMessageAndItsBody()
    {
        await CreateMailbox();
        var bodies = await DeliverBodies(SegmentAndTail);

        var result = await Maintenance.Expunge(ExpungeRequest.All());

        Assert.Equal(MailboxStatus.Ok, result.Status);
        Assert.Equal(SegmentAndTail, result.Removed);
        Assert.Equal(bodies.Sum(b => b.Size), result.OctetsRemoved);
        Assert.Empty(result.UnknownUidls);
        var info = await Mailbox.Describe();
        Assert.Equal((0, 0L), (info.MessageCount, info.Octets));
        foreach (var body in bodies)
        {
            Assert.False(await BodyExists(body.BodyId));
        }
        await Fixture.Cluster.DeactivateAsync(Mailbox);
        Assert.Empty(await OpenEntries(NewLease()));
    }

    [Fact]
    public async Task Expunge_Before_RemovesOnlyBodiesWrittenEarlier()
    {
        await CreateMailbox();
        var clock = new ShiftingTimeProvider();
        var store = new EmbeddedBodyStore(Options.Create(new EmbeddedStorageOptions { DataDirectory = Fixture.DataDirectory }), clock);
        var old1 = await DeliverWith(store, "old one\r\n");
        var old2 = await DeliverWith(store, "old two\r\n");
        clock.Advance(TimeSpan.FromHours(2));
        var fresh = await DeliverWith(store, "fresh\r\n");

        var result = await Maintenance.Expunge(ExpungeRequest.DeliveredBefore(clock.GetUtcNow() - TimeSpan.FromHours(1)));

        Assert.Equal(MailboxStatus.Ok, result.Status);
        Assert.Equal(2, result.Removed);
        Assert.Equal(old1.Size + old2.Size, result.OctetsRemoved);
        Assert.Equal([fresh.BodyId], (await OpenEntries(NewLease())).Select(e => e.BodyId));
        Assert.False(await BodyExists(old1.BodyId));
        Assert.True(await BodyExists(fresh.BodyId));
    }

    [Fact]
    public async Task Expunge_Uidls_RemovesThoseInSegmentAndTailAndReportsUnknown()
    {
        await CreateMailbox();
        var bodies = await DeliverBodies(SegmentAndTail);
        string[] chosen = [bodies[3].BodyId, bodies[^2].BodyId];

        var result = await Maintenance.Expunge(ExpungeRequest.ForUidls([chosen[0], "no-such-uidl", chosen[1], chosen[0]]));

        Assert.Equal(MailboxStatus.Ok, result.Status);
        Assert.Equal(2, result.Removed);
        Assert.Equal(["no-such-uidl"], result.UnknownUidls);
        var left = (await OpenEntries(NewLease())).Select(e => e.Uidl).ToArray();
        Assert.Equal(bodies.Select(b => b.BodyId).Except(chosen), left);
    }

    [Fact]
    public async Task Expunge_PreservedUidls_MatchTheUidlNotTheBodyIdAndTheUidlCanBeDeliveredAgain()
    {
        await CreateMailbox();
        var (body, _) = await Deliver("imported\r\n", preservedUidl: "kept-uidl");

        var result = await Maintenance.Expunge(ExpungeRequest.ForUidls(["kept-uidl", body.BodyId]));

        Assert.Equal(1, result.Removed);
        Assert.Equal([body.BodyId], result.UnknownUidls);
        Assert.Equal(MailboxStatus.Ok, (await Deliver("imported\r\n", preservedUidl: "kept-uidl")).Result.Status);
    }

    [Fact]
    public async Task Expunge_WhileASessionHoldsTheLease_InUseWithTheHolderAndNothingRemoved()
    {
        await CreateMailbox();
        var (body, _) = await Deliver("one\r\n");
        var lease = NewLease("alice from 127.0.0.1");
        await OpenEntries(lease);

        var result = await Maintenance.Expunge(ExpungeRequest.All());

        Assert.Equal(MailboxStatus.InUse, result.Status);
        Assert.Equal("alice from 127.0.0.1", result.Holder);
        Assert.Equal(1, (await Mailbox.Describe()).MessageCount);
        Assert.True(await BodyExists(body.BodyId));
        Assert.Equal(MailboxStatus.Ok, await Mailbox.Renew(lease.SessionId));
    }

    [Fact]
    public async Task Expunge_AfterKick_RemovesAndTheKickedSessionIsLost()
    {
        await CreateMailbox();
        await Deliver("one\r\n");
        var lease = NewLease();
        await OpenEntries(lease);

        Assert.Equal(lease, await Mailbox.Kick());
        var result = await Maintenance.Expunge(ExpungeRequest.All());

        Assert.Equal((MailboxStatus.Ok, 1), (result.Status, result.Removed));
        Assert.Equal(MailboxStatus.SessionLost, (await Mailbox.CommitMarks(lease.SessionId, MessageMarks.Of(1))).Status);
    }

    [Fact]
    public async Task Expunge_HeaderWriteFails_NothingRemovedAndEveryBodyKept()
    {
        await CreateMailbox();
        var bodies = await DeliverBodies(3);

        var result = await ExpungeAllFaulted(failWrites: true);

        Assert.Equal(MailboxStatus.StorageUnavailable, result.Status);
        Assert.Equal(3, (await Mailbox.Describe()).MessageCount);
        foreach (var body in bodies)
        {
            Assert.True(await BodyExists(body.BodyId));
        }
        Assert.Equal(3, (await Maintenance.Expunge(ExpungeRequest.All())).Removed);
    }

    [Fact]
    public async Task Expunge_WriteLandsButTimesOut_ReadBackFindsItAndDeletesTheBodies()
    {
        await CreateMailbox();
        var bodies = await DeliverBodies(2);

        var result = await ExpungeAllFaulted(landThenFail: true);

        Assert.Equal((MailboxStatus.Ok, 2), (result.Status, result.Removed));
        Assert.False(await BodyExists(bodies[0].BodyId));
        // The activation carries on from the header it read back: the next delivery does not conflict.
        Assert.Equal(MailboxStatus.Ok, (await Deliver("after\r\n")).Result.Status);
    }

    [Fact]
    public async Task Expunge_WriteLandsAndStorageCannotBeRead_OutcomeUnknownAndBodiesKept()
    {
        await CreateMailbox();
        var bodies = await DeliverBodies(2);

        var result = await ExpungeAllFaulted(landThenFail: true, failReads: true);

        Assert.Equal(MailboxStatus.OutcomeUnknown, result.Status);
        // Bodies wait for the sweep; the header storage holds is the truth once it can be read.
        Assert.True(await BodyExists(bodies[0].BodyId));
        Assert.Equal(0, (await Mailbox.Describe()).MessageCount);
    }

    [Theory]
    [InlineData(ExpungeSelector.Before)]
    [InlineData(ExpungeSelector.Uidls)]
    public async Task Expunge_SelectorWithoutItsValue_InvalidRequest(ExpungeSelector selector)
    {
        await CreateMailbox();
        await Deliver("one\r\n");

        var result = await Maintenance.Expunge(new ExpungeRequest(selector, null, []));

        Assert.Equal(MailboxStatus.InvalidRequest, result.Status);
        Assert.Equal(1, (await Mailbox.Describe()).MessageCount);
    }

    [Fact]
    public async Task Expunge_NoSuchMailbox_NoSuchMailbox()
    {
        Assert.Equal(MailboxStatus.NoSuchMailbox, (await Maintenance.Expunge(ExpungeRequest.All())).Status);
    }

    [Fact]
    public async Task ReadEntries_PagesAcrossSegmentAndTail_EveryEntryInOrderWithItsDeliveryTime()
    {
        await CreateMailbox();
        var bodies = await DeliverBodies(SegmentAndTail);
        await Fixture.Cluster.DeactivateAsync(Mailbox);

        var entries = new List<IndexEntry>();
        var starts = new List<int>();
        int? start = 0;
        while (start is { } next)
        {
            starts.Add(next);
            var page = await Maintenance.ReadEntries(next, 32);
            Assert.Equal(MailboxStatus.Ok, page.Status);
            entries.AddRange(page.Entries);
            start = page.NextStart;
        }

        Assert.Equal([0, 32, 64], starts);
        Assert.Equal(bodies.Select(b => (b.BodyId, b.Size)), entries.Select(e => (e.Uidl, e.Size)));
        Assert.All(entries, e => Assert.True(BodyIds.TryGetTime(e.BodyId, out var time) && e.Delivered == time));
    }

    [Theory]
    [InlineData(-1, 10)]
    [InlineData(0, 0)]
    [InlineData(0, EntryPage.MaxLimit + 1)]
    public async Task ReadEntries_OutOfRange_InvalidRequest(int start, int limit)
    {
        await CreateMailbox();

        Assert.Equal(MailboxStatus.InvalidRequest, (await Maintenance.ReadEntries(start, limit)).Status);
    }

    [Fact]
    public async Task ReadEntries_StartPastTheEnd_EmptyLastPage()
    {
        await CreateMailbox();
        await Deliver("one\r\n");

        var page = await Maintenance.ReadEntries(5, 10);

        Assert.Equal(new EntryPage(MailboxStatus.Ok, page.Entries, null), page);
        Assert.Empty(page.Entries);
    }

    /// <summary>Expunges everything while the mailbox storage fails as told; the faults end with the call.</summary>
    private async Task<ExpungeResult> ExpungeAllFaulted(bool failWrites = false, bool landThenFail = false, bool failReads = false)
    {
        var faults = Fixture.Faults;
        (faults.FailWrites, faults.LandThenFailWrites, faults.FailReads) = (failWrites, landThenFail, failReads);
        try
        {
            return await Maintenance.Expunge(ExpungeRequest.All());
        }
        finally
        {
            (faults.FailWrites, faults.LandThenFailWrites, faults.FailReads) = (false, false, false);
        }
    }

    private async Task<List<StoredBody>> DeliverBodies(int count)
    {
        var bodies = new List<StoredBody>();
        for (var i = 0; i < count; i++)
        {
            var (body, result) = await Deliver($"Subject: {i}\r\n\r\nmessage {i}\r\n");
            Assert.Equal(MailboxStatus.Ok, result.Status);
            bodies.Add(body);
        }
        return bodies;
    }

    private async Task<StoredBody> DeliverWith(IBodyStore store, string text)
    {
        var body = await store.WriteAsync(Name, new MemoryStream(Encoding.ASCII.GetBytes(text)), CancellationToken.None);
        Assert.Equal(MailboxStatus.Ok, (await Mailbox.Deliver(new DeliveryRequest(body.BodyId, body.Size, null))).Status);
        return body;
    }
}
