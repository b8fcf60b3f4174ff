using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Frontends;
using Pop3Gateway.Grains.Mailboxes;

namespace Pop3Gateway.Grains.Tests;

/// <summary>Sessions served from the snapshot that OpenSession returns, with the marks sent at QUIT.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MailboxSnapshotTests(ClusterFixture fixture) : MailboxTestBase(fixture)
{
    [Fact]
    public async Task OpenSession_AfterDeliveries_SnapshotHoldsEveryEntryInOrder()
    {
        await CreateMailbox();
        var (first, _) = await Deliver("one\n");
        var (second, _) = await Deliver("second message\n", preservedUidl: "kept-uidl-7");

        var snapshot = await Mailbox.OpenSession(NewLease(), LockPolicy.Exclusive);

        Assert.Equal(MailboxStatus.Ok, snapshot.Status);
        Assert.Equal(2, snapshot.MessageCount);
        Assert.Equal(first.Size + second.Size, snapshot.Octets);
        Assert.Equal(
            [new MessageEntry(first.BodyId, first.Size, first.BodyId), new MessageEntry("kept-uidl-7", second.Size, second.BodyId)],
            Decode(snapshot));
    }

    [Fact]
    public async Task OpenSession_Locked_InUseWithHolderAndNoEntries()
    {
        await CreateMailbox();
        await Deliver("one\n");
        await Mailbox.OpenSession(NewLease("first"), LockPolicy.Exclusive);

        var second = await Mailbox.OpenSession(NewLease("second"), LockPolicy.Exclusive);

        Assert.Equal(MailboxStatus.InUse, second.Status);
        Assert.Equal("first", second.LockHolder);
        Assert.Empty(second.Entries);
    }

    [Fact]
    public async Task OpenSession_DeliveryBetweenSessions_NextSnapshotHasIt()
    {
        await CreateMailbox();
        await Deliver("one\n");
        var lease = NewLease();
        Assert.Single(Decode(await Mailbox.OpenSession(lease, LockPolicy.Exclusive)));
        var (later, _) = await Deliver("two\n");
        await Mailbox.Release(lease.SessionId);

        var next = Decode(await Mailbox.OpenSession(NewLease(), LockPolicy.Exclusive));

        Assert.Equal([1, 2], next.Select((_, i) => i + 1));
        Assert.Equal(later.BodyId, next[1].BodyId);
    }

    [Fact]
    public async Task CommitMarks_HoldingTheLease_DeletesExactlyThoseMessages()
    {
        await CreateMailbox();
        var (first, _) = await Deliver("one\n");
        var (second, _) = await Deliver("two\n");
        var (third, _) = await Deliver("three\n");
        var lease = NewLease();
        await Mailbox.OpenSession(lease, LockPolicy.Exclusive);

        var commit = await Mailbox.CommitMarks(lease.SessionId, MessageMarks.Of(3, 1));

        Assert.Equal(new CommitResult(MailboxStatus.Ok, 2), commit);
        Assert.False(await BodyExists(first.BodyId));
        Assert.True(await BodyExists(second.BodyId));
        Assert.False(await BodyExists(third.BodyId));
        Assert.Null((await Mailbox.Describe()).Lock);
        Assert.Equal([second.BodyId], Decode(await Mailbox.OpenSession(NewLease(), LockPolicy.Exclusive)).Select(e => e.Uidl));
    }

    [Fact]
    public async Task CommitMarks_AfterTakeover_SessionLostAndNothingDeleted()
    {
        await CreateMailbox();
        var (body, _) = await Deliver("one\n");
        var old = NewLease("old");
        await Mailbox.OpenSession(old, LockPolicy.Exclusive);
        var taken = NewLease("new");
        Assert.Equal(MailboxStatus.Ok, (await Mailbox.OpenSession(taken, LockPolicy.Takeover)).Status);

        var commit = await Mailbox.CommitMarks(old.SessionId, MessageMarks.Of(1));

        Assert.Equal(MailboxStatus.SessionLost, commit.Status);
        Assert.True(await BodyExists(body.BodyId));
        Assert.Equal(1, (await Mailbox.Describe()).MessageCount);
        Assert.Equal("new", (await Mailbox.Describe()).Lock?.Holder);
    }

    [Fact]
    public async Task CommitMarks_AfterLeaseExpired_SessionLostAndNothingDeleted()
    {
        await CreateMailbox();
        var (body, _) = await Deliver("one\n");
        var lease = NewLease();
        await Mailbox.OpenSession(lease, LockPolicy.Exclusive);

        Fixture.Clock.Advance(SessionLivenessOptions.DefaultSessionLease + TimeSpan.FromSeconds(1));
        var commit = await Mailbox.CommitMarks(lease.SessionId, MessageMarks.Of(1));

        Assert.Equal(MailboxStatus.SessionLost, commit.Status);
        Assert.True(await BodyExists(body.BodyId));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(9)]
    public async Task CommitMarks_NumberOutsideSnapshot_RefusedAndNothingDeleted(int number)
    {
        await CreateMailbox();
        var (first, _) = await Deliver("one\n");
        await Deliver("two\n");
        var lease = NewLease();
        await Mailbox.OpenSession(lease, LockPolicy.Exclusive);

        var commit = await Mailbox.CommitMarks(lease.SessionId, MessageMarks.Of(1, number));

        Assert.Equal(new CommitResult(MailboxStatus.InvalidRequest, 0), commit);
        Assert.True(await BodyExists(first.BodyId));
        Assert.Equal(2, (await Mailbox.Describe()).MessageCount);
        Assert.Null((await Mailbox.Describe()).Lock);
    }
}
