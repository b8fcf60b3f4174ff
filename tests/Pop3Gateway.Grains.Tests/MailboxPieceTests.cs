using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Tests;

/// <summary>A snapshot larger than one piece: read piece by piece as of the session's start, committed in one header write.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MailboxPieceTests(ClusterFixture fixture) : MailboxTestBase(fixture)
{
    /// <summary>Two full pieces and a part, across the first segment's end.</summary>
    private const int Messages = (2 * ClusterFixture.PieceMessages) + 37;

    [Fact]
    public async Task OpenSession_LargerThanOnePiece_FirstPieceOnlyWithTheTotals()
    {
        await CreateMailbox();
        var uidls = await DeliverMany(Messages);

        var snapshot = await Mailbox.OpenSession(NewLease(), LockPolicy.Exclusive);

        Assert.Equal((Messages, ClusterFixture.PieceMessages), (snapshot.MessageCount, snapshot.PieceMessages));
        Assert.Equal(uidls.Take(ClusterFixture.PieceMessages), Decode(snapshot).Select(e => e.Uidl));
    }

    [Fact]
    public async Task ReadSnapshot_EveryPiece_TheIndexInOrderAndEachPieceBounded()
    {
        await CreateMailbox();
        var uidls = await DeliverMany(Messages);
        var lease = NewLease();
        await Mailbox.OpenSession(lease, LockPolicy.Exclusive);

        var pieces = new List<SnapshotPiece>();
        for (var first = 1; first <= Messages; first += ClusterFixture.PieceMessages)
        {
            pieces.Add(await Mailbox.ReadSnapshot(lease.SessionId, first, int.MaxValue));
        }

        Assert.Equal([ClusterFixture.PieceMessages, ClusterFixture.PieceMessages, 37], pieces.Select(p => p.Count));
        Assert.All(pieces, p => Assert.InRange(p.Entries.Length, 1, ClusterFixture.PieceMessages * SnapshotPieces.MaxEntryBytes));
        Assert.Equal(uidls, pieces.SelectMany(p => Decode(p.Entries, p.Count)).Select(e => e.Uidl));
    }

    [Fact]
    public async Task ReadSnapshot_AfterLaterDeliveries_EndsWhereTheSessionStarted()
    {
        await CreateMailbox();
        var uidls = await DeliverMany(ClusterFixture.PieceMessages + 3);
        var lease = NewLease();
        await Mailbox.OpenSession(lease, LockPolicy.Exclusive);
        await DeliverMany(2);

        var last = await Mailbox.ReadSnapshot(lease.SessionId, ClusterFixture.PieceMessages + 1, ClusterFixture.PieceMessages);

        Assert.Equal(uidls[^3..], Decode(last.Entries, last.Count).Select(e => e.Uidl));
        Assert.Equal(MailboxStatus.NoSuchMessage, (await Mailbox.ReadSnapshot(lease.SessionId, ClusterFixture.PieceMessages + 4, 1)).Status);
    }

    [Fact]
    public async Task ReadSnapshot_NotTheLeaseHolder_SessionLost()
    {
        await CreateMailbox();
        await DeliverMany(2);
        await Mailbox.OpenSession(NewLease(), LockPolicy.Exclusive);

        var piece = await Mailbox.ReadSnapshot(Guid.NewGuid(), 1, 1);

        Assert.Equal(MailboxStatus.SessionLost, piece.Status);
        Assert.Empty(piece.Entries);
    }

    [Fact]
    public async Task CommitMarks_EveryMessageOfManyPieces_OneHeaderWriteDeletesAll()
    {
        await CreateMailbox();
        await DeliverMany(Messages);
        var lease = NewLease();
        await Mailbox.OpenSession(lease, LockPolicy.Exclusive);
        var marks = MessageMarks.Of(Enumerable.Range(1, Messages));
        var writesBefore = Fixture.Faults.Writes("mailbox", Name);

        var commit = await Mailbox.CommitMarks(lease.SessionId, marks);

        Assert.Equal(new CommitResult(MailboxStatus.Ok, Messages), commit);
        Assert.Equal(1, Fixture.Faults.Writes("mailbox", Name) - writesBefore);
        Assert.Equal((Messages + 7) / 8, marks.Bits.Length);
        Assert.Equal(0, (await Mailbox.Describe()).MessageCount);
    }

    [Theory]
    [InlineData(new int[0], 0)]
    [InlineData(new[] { 1 }, 1)]
    [InlineData(new[] { 9, 3, 9 }, 9)]
    [InlineData(new[] { 16, 8 }, 16)]
    public void MessageMarks_Of_NumbersAndHighestRoundTrip(int[] numbers, int highest)
    {
        var marks = MessageMarks.Of(numbers);

        Assert.Equal(numbers.Distinct().Order(), marks.Numbers());
        Assert.Equal(highest, marks.Highest());
    }

    [Fact]
    public void MessageMarks_Of_NumberZero_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => MessageMarks.Of(1, 0));
}
