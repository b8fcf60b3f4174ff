using System.Text;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Grains.Mailboxes;
using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Grains.Tests;

/// <summary>The segmented index: order and numbering across segments and tail, cost of login and commit.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MailboxIndexTests(ClusterFixture fixture) : MailboxTestBase(fixture)
{
    /// <summary>More than one full segment plus a partly filled one plus a tail.</summary>
    private const int Many = MailboxIndexLimits.SegmentCapacity + (2 * MailboxIndexLimits.TailCapacity) + 7;

    [Fact]
    public async Task OpenSession_MoreThanOneSegment_DeliveryOrderKeptAfterReactivation()
    {
        await CreateMailbox();
        var uidls = await DeliverMany(Many);

        await Fixture.Cluster.DeactivateAsync(Mailbox);
        var entries = await OpenEntries(NewLease());

        Assert.Equal(uidls, entries.Select(e => e.Uidl));
    }

    [Fact]
    public async Task OpenSession_AfterReactivation_ReadsEachSegmentOnceAndASecondSessionNone()
    {
        await CreateMailbox();
        await DeliverMany(Many);
        await Fixture.Cluster.DeactivateAsync(Mailbox);
        var before = Fixture.Segments.Reads(Name);

        var info = await Mailbox.Describe();
        var afterDescribe = Fixture.Segments.Reads(Name);
        var lease = NewLease();
        await OpenEntries(lease);
        var afterFirst = Fixture.Segments.Reads(Name);
        await Mailbox.Release(lease.SessionId);
        await OpenEntries(NewLease());

        Assert.Equal(Many, info.MessageCount);
        Assert.Equal(before, afterDescribe);
        // The directory and the two segments (one full, one partly filled); the rest is the tail.
        Assert.Equal(before + 3, afterFirst);
        Assert.Equal(afterFirst, Fixture.Segments.Reads(Name));
    }

    [Fact]
    public async Task CommitMarks_AcrossSegmentsAndTail_RemovesExactlyTheMarked()
    {
        await CreateMailbox();
        var uidls = await DeliverMany(Many);
        int[] doomed = [1, MailboxIndexLimits.SegmentCapacity, MailboxIndexLimits.SegmentCapacity + 1, Many];

        var lease = NewLease();
        var entries = await OpenEntries(lease);
        var bodies = doomed.Select(n => entries[n - 1].BodyId).ToList();
        var kept = entries[1].BodyId;
        var commit = await Mailbox.CommitMarks(lease.SessionId, MessageMarks.Of(doomed));
        await Fixture.Cluster.DeactivateAsync(Mailbox);

        var next = await OpenEntries(NewLease());
        var expected = uidls.Where((_, i) => !doomed.Contains(i + 1)).ToList();
        Assert.Equal(new CommitResult(MailboxStatus.Ok, doomed.Length), commit);
        Assert.Equal(expected, next.Select(e => e.Uidl));
        foreach (var body in bodies)
        {
            Assert.False(await BodyExists(body));
        }
        Assert.True(await BodyExists(kept));
    }

    [Fact]
    public async Task CommitMarks_OneDeletion_WritesAtMostOneSegment()
    {
        await CreateMailbox();
        await DeliverMany(Many);
        var lease = NewLease();
        await Mailbox.OpenSession(lease, LockPolicy.Exclusive);
        var before = Fixture.Segments.WrittenBytes(Name);

        Assert.Equal(MailboxStatus.Ok, (await Mailbox.CommitMarks(lease.SessionId, MessageMarks.Of(3))).Status);

        var written = Fixture.Segments.WrittenBytes(Name) - before;
        // One segment of 1,024 entries of about 60 bytes each; the mailbox holds more than that.
        Assert.InRange(written, 1, 100_000);
    }

    [Fact]
    public async Task CommitMarks_SegmentWriteFails_StorageUnavailableAndNothingDeleted()
    {
        await CreateMailbox();
        await DeliverMany(MailboxIndexLimits.SegmentCapacity + 1);
        var lease = NewLease();
        var body = (await OpenEntries(lease))[4].BodyId;

        Fixture.Segments.FailWrites(Name, true);
        CommitResult failed;
        try
        {
            failed = await Mailbox.CommitMarks(lease.SessionId, MessageMarks.Of(5));
        }
        finally
        {
            Fixture.Segments.FailWrites(Name, false);
        }

        Assert.Equal(MailboxStatus.StorageUnavailable, failed.Status);
        Assert.True(await BodyExists(body));
        var next = await OpenEntries(NewLease());
        Assert.Equal(MailboxIndexLimits.SegmentCapacity + 1, next.Length);
        Assert.Equal(body, next[4].BodyId);
    }

    [Fact]
    public async Task Sweep_RemovesOnlyOldBodiesNoEntryNames()
    {
        await CreateMailbox();
        var (delivered, _) = await Deliver("kept\n");
        var orphan = await Fixture.Bodies.WriteAsync(Name, new MemoryStream("crashed before the index\r\n"u8.ToArray()), CancellationToken.None);
        var sweeper = Fixture.Grains.GetGrain<IMailboxMaintenanceGrain>(Name);

        var young = await sweeper.Sweep(TimeSpan.FromHours(1));
        Assert.Equal(new SweepResult(MailboxStatus.Ok, 0, 0), young);
        Assert.True(await BodyExists(orphan.BodyId));

        var old = await sweeper.Sweep(TimeSpan.FromSeconds(-1));
        Assert.Equal(1, old.BodiesRemoved);
        Assert.False(await BodyExists(orphan.BodyId));
        Assert.True(await BodyExists(delivered.BodyId));
    }

    [Fact]
    public async Task Sweep_RemovesUnnamedIndexBlobsAndKeepsTheIndexReadable()
    {
        await CreateMailbox();
        var uidls = await DeliverMany(MailboxIndexLimits.TailCapacity + 3);
        var store = (IMailboxSegmentStore)Fixture.Segments;
        await store.WriteAsync(Name, "01STRAYSEGMENTFROMACRASH0", SegmentCodec.Encode([new MessageEntry("x", 1, "X")]), CancellationToken.None);

        var result = await Fixture.Grains.GetGrain<IMailboxMaintenanceGrain>(Name).Sweep(TimeSpan.FromSeconds(-1));
        await Fixture.Cluster.DeactivateAsync(Mailbox);

        Assert.Equal(new SweepResult(MailboxStatus.Ok, 0, 1), result);
        Assert.Equal(uidls, (await OpenEntries(NewLease())).Select(e => e.Uidl));
    }

    [Fact]
    public async Task Sweep_DuringSession_InUseAndNothingRemoved()
    {
        await CreateMailbox();
        var orphan = await Fixture.Bodies.WriteAsync(Name, new MemoryStream("x\r\n"u8.ToArray()), CancellationToken.None);
        await Mailbox.OpenSession(NewLease(), LockPolicy.Exclusive);

        var result = await Fixture.Grains.GetGrain<IMailboxMaintenanceGrain>(Name).Sweep(TimeSpan.FromSeconds(-1));

        Assert.Equal(MailboxStatus.InUse, result.Status);
        Assert.True(await BodyExists(orphan.BodyId));
    }
}
