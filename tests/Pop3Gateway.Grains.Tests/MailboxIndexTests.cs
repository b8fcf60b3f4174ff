using System.Collections.Immutable;
using System.Text;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Grains.Mailboxes;
using Pop3Gateway.Storage.Index;

namespace Pop3Gateway.Grains.Tests;

/// <summary>The segmented index: order and numbering across segments and tail, cost of login and commit.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MailboxIndexTests(ClusterFixture fixture) : MailboxTestBase(fixture)
{
    /// <summary>More than one full segment plus a partly filled one plus a tail.</summary>
    private const int Many = MailboxIndexLimits.SegmentCapacity + (2 * MailboxIndexLimits.TailCapacity) + 7;

    [Fact]
    public async Task List_MoreThanOneSegment_DeliveryOrderKeptAfterReactivation()
    {
        await CreateMailbox();
        var uidls = await DeliverMany(Many);

        await Fixture.Cluster.DeactivateAsync(Mailbox);
        var lease = NewLease();
        var open = await Mailbox.Open(lease, LockPolicy.Exclusive);
        var listing = await Mailbox.List(lease.SessionId, null);

        Assert.Equal(Many, open.MessageCount);
        Assert.Equal(uidls, listing.Items.Select(i => i.Uidl));
        Assert.Equal(Enumerable.Range(1, Many), listing.Items.Select(i => i.Number));
        Assert.Equal(uidls[MailboxIndexLimits.SegmentCapacity], (await Mailbox.List(lease.SessionId, MailboxIndexLimits.SegmentCapacity + 1)).Items.Single().Uidl);
    }

    [Fact]
    public async Task Open_AfterReactivation_ReadsNoSegment()
    {
        await CreateMailbox();
        await DeliverMany(Many);
        await Fixture.Cluster.DeactivateAsync(Mailbox);
        var before = Fixture.Segments.Reads(Name);

        var lease = NewLease();
        var open = await Mailbox.Open(lease, LockPolicy.Exclusive);
        var stat = await Mailbox.Stat(lease.SessionId);
        var afterStat = Fixture.Segments.Reads(Name);
        await Mailbox.Fetch(lease.SessionId, 2);

        Assert.Equal(Many, stat.MessageCount);
        Assert.Equal(open.Octets, stat.Octets);
        Assert.Equal(before, afterStat);
        // The directory and the one segment that holds message 2.
        Assert.Equal(before + 2, Fixture.Segments.Reads(Name));
    }

    [Fact]
    public async Task Commit_AcrossSegmentsAndTail_RemovesExactlyTheMarked()
    {
        await CreateMailbox();
        var uidls = await DeliverMany(Many);
        int[] doomed = [1, MailboxIndexLimits.SegmentCapacity, MailboxIndexLimits.SegmentCapacity + 1, Many];

        var lease = NewLease();
        await Mailbox.Open(lease, LockPolicy.Exclusive);
        var bodies = new List<string>();
        foreach (var number in doomed)
        {
            bodies.Add((await Mailbox.Fetch(lease.SessionId, number)).BodyId!);
            Assert.Equal(MailboxStatus.Ok, await Mailbox.MarkDeleted(lease.SessionId, number));
        }
        var kept = (await Mailbox.Fetch(lease.SessionId, 2)).BodyId!;
        var commit = await Mailbox.Commit(lease.SessionId);
        await Fixture.Cluster.DeactivateAsync(Mailbox);

        var next = NewLease();
        var open = await Mailbox.Open(next, LockPolicy.Exclusive);
        var listing = await Mailbox.List(next.SessionId, null);
        var expected = uidls.Where((_, i) => !doomed.Contains(i + 1)).ToList();
        Assert.Equal(new CommitResult(MailboxStatus.Ok, doomed.Length), commit);
        Assert.Equal(Many - doomed.Length, open.MessageCount);
        Assert.Equal(expected, listing.Items.Select(i => i.Uidl));
        foreach (var body in bodies)
        {
            Assert.False(await BodyExists(body));
        }
        Assert.True(await BodyExists(kept));
    }

    [Fact]
    public async Task Commit_OneDeletion_WritesAtMostOneSegment()
    {
        await CreateMailbox();
        await DeliverMany(Many);
        var lease = NewLease();
        await Mailbox.Open(lease, LockPolicy.Exclusive);
        await Mailbox.MarkDeleted(lease.SessionId, 3);
        var before = Fixture.Segments.WrittenBytes(Name);

        Assert.Equal(MailboxStatus.Ok, (await Mailbox.Commit(lease.SessionId)).Status);

        var written = Fixture.Segments.WrittenBytes(Name) - before;
        // One segment of 1,024 entries of about 60 bytes each; the mailbox holds more than that.
        Assert.InRange(written, 1, 100_000);
    }

    [Fact]
    public async Task Commit_SegmentWriteFails_StorageUnavailableAndNothingDeleted()
    {
        await CreateMailbox();
        await DeliverMany(MailboxIndexLimits.SegmentCapacity + 1);
        var lease = NewLease();
        await Mailbox.Open(lease, LockPolicy.Exclusive);
        var body = (await Mailbox.Fetch(lease.SessionId, 5)).BodyId!;
        await Mailbox.MarkDeleted(lease.SessionId, 5);

        Fixture.Segments.FailWrites(Name, true);
        CommitResult failed;
        try
        {
            failed = await Mailbox.Commit(lease.SessionId);
        }
        finally
        {
            Fixture.Segments.FailWrites(Name, false);
        }

        Assert.Equal(MailboxStatus.StorageUnavailable, failed.Status);
        Assert.True(await BodyExists(body));
        var next = NewLease();
        Assert.Equal(MailboxIndexLimits.SegmentCapacity + 1, (await Mailbox.Open(next, LockPolicy.Exclusive)).MessageCount);
        Assert.Equal(body, (await Mailbox.Fetch(next.SessionId, 5)).BodyId);
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
        var lease = NewLease();
        await Mailbox.Open(lease, LockPolicy.Exclusive);
        Assert.Equal(uidls, (await Mailbox.List(lease.SessionId, null)).Items.Select(i => i.Uidl));
    }

    [Fact]
    public async Task Sweep_DuringSession_InUseAndNothingRemoved()
    {
        await CreateMailbox();
        var orphan = await Fixture.Bodies.WriteAsync(Name, new MemoryStream("x\r\n"u8.ToArray()), CancellationToken.None);
        var lease = NewLease();
        await Mailbox.Open(lease, LockPolicy.Exclusive);

        var result = await Fixture.Grains.GetGrain<IMailboxMaintenanceGrain>(Name).Sweep(TimeSpan.FromSeconds(-1));

        Assert.Equal(MailboxStatus.InUse, result.Status);
        Assert.True(await BodyExists(orphan.BodyId));
    }

    [Fact]
    public async Task Activation_LegacySingleRecordState_MigratedIntoSegmentsInOrder()
    {
        var legacy = Enumerable.Range(0, MailboxIndexLimits.SegmentCapacity + 5)
            .Select(i => new MessageEntry($"legacy-{i}", 100 + i, $"L{i:D6}"))
            .ToImmutableArray();
        var grainId = Mailbox.GetGrainId();
        await Fixture.Faults.WriteStateAsync("mailbox", grainId,
            new GrainState<MailboxState>(new MailboxState { Exists = true, NextSequence = legacy.Length, LegacyMessages = legacy }));

        var lease = NewLease();
        var open = await Mailbox.Open(lease, LockPolicy.Exclusive);
        var listing = await Mailbox.List(lease.SessionId, null);
        var stored = new GrainState<MailboxState>();
        await Fixture.Faults.ReadStateAsync("mailbox", grainId, stored);

        Assert.Equal(legacy.Length, open.MessageCount);
        Assert.Equal(legacy.Sum(e => e.Size), open.Octets);
        Assert.Equal(legacy.Select(e => e.Uidl), listing.Items.Select(i => i.Uidl));
        var header = Assert.IsType<MailboxState>(stored.State);
        Assert.True(header.LegacyMessages.IsEmpty);
        Assert.NotNull(header.Directory);
    }

    private async Task<List<string>> DeliverMany(int count)
    {
        var uidls = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var body = await Fixture.Bodies.WriteAsync(Name, new MemoryStream(Encoding.ASCII.GetBytes($"Subject: {i}\r\n\r\nbody {i}\r\n")), CancellationToken.None);
            var result = await Mailbox.Deliver(new DeliveryRequest(body.BodyId, body.Size, null));
            Assert.Equal(MailboxStatus.Ok, result.Status);
            uidls.Add(result.Uidl!);
        }
        return uidls;
    }
}
