using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class MailboxSessionTests(ClusterFixture fixture) : MailboxTestBase(fixture)
{
    [Fact]
    public async Task Open_AfterDeliveries_StatListFetchShowTheSnapshot()
    {
        await CreateMailbox();
        var (first, _) = await Deliver("one\n");
        var (second, _) = await Deliver("second message\n");
        var lease = NewLease();

        var open = await Mailbox.Open(lease, LockPolicy.Exclusive);

        Assert.Equal(new OpenResult(MailboxStatus.Ok, 2, first.Size + second.Size, null), open);
        Assert.Equal(new StatResult(MailboxStatus.Ok, 2, first.Size + second.Size), await Mailbox.Stat(lease.SessionId));
        var list = await Mailbox.List(lease.SessionId, null);
        Assert.Equal(MailboxStatus.Ok, list.Status);
        Assert.Equal([new ListingItem(1, first.Size, first.BodyId), new ListingItem(2, second.Size, second.BodyId)], list.Items);
        Assert.Equal(new FetchResult(MailboxStatus.Ok, second.Size, second.BodyId), await Mailbox.Fetch(lease.SessionId, 2));
        Assert.Equal([new ListingItem(2, second.Size, second.BodyId)], (await Mailbox.List(lease.SessionId, 2)).Items);
    }

    [Fact]
    public async Task Open_DeliveryDuringSession_AppearsOnlyInTheNextSession()
    {
        await CreateMailbox();
        await Deliver("one\n");
        var lease = NewLease();
        await Mailbox.Open(lease, LockPolicy.Exclusive);

        await Deliver("two\n");

        Assert.Equal(1, (await Mailbox.Stat(lease.SessionId)).MessageCount);
        Assert.Equal(MailboxStatus.NoSuchMessage, (await Mailbox.Fetch(lease.SessionId, 2)).Status);
        await Mailbox.Release(lease.SessionId);
        Assert.Equal(2, (await Mailbox.Open(NewLease(), LockPolicy.Exclusive)).MessageCount);
    }

    [Fact]
    public async Task MarkDeleted_HidesMessageUntilReset()
    {
        await CreateMailbox();
        var (first, _) = await Deliver("one\n");
        var (second, _) = await Deliver("two\n");
        var lease = NewLease();
        await Mailbox.Open(lease, LockPolicy.Exclusive);

        Assert.Equal(MailboxStatus.Ok, await Mailbox.MarkDeleted(lease.SessionId, 1));

        Assert.Equal(new StatResult(MailboxStatus.Ok, 1, second.Size), await Mailbox.Stat(lease.SessionId));
        Assert.Equal([2], (await Mailbox.List(lease.SessionId, null)).Items.Select(i => i.Number));
        Assert.Equal(MailboxStatus.MessageDeleted, (await Mailbox.Fetch(lease.SessionId, 1)).Status);
        Assert.Equal(MailboxStatus.MessageDeleted, (await Mailbox.List(lease.SessionId, 1)).Status);
        Assert.Equal(MailboxStatus.MessageDeleted, await Mailbox.MarkDeleted(lease.SessionId, 1));

        Assert.Equal(MailboxStatus.Ok, await Mailbox.ResetMarks(lease.SessionId));
        Assert.Equal(new StatResult(MailboxStatus.Ok, 2, first.Size + second.Size), await Mailbox.Stat(lease.SessionId));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(3)]
    public async Task MessageNumber_OutOfRange_NoSuchMessage(int number)
    {
        await CreateMailbox();
        await Deliver("one\n");
        await Deliver("two\n");
        var lease = NewLease();
        await Mailbox.Open(lease, LockPolicy.Exclusive);

        Assert.Equal(MailboxStatus.NoSuchMessage, (await Mailbox.Fetch(lease.SessionId, number)).Status);
        Assert.Equal(MailboxStatus.NoSuchMessage, (await Mailbox.List(lease.SessionId, number)).Status);
        Assert.Equal(MailboxStatus.NoSuchMessage, await Mailbox.MarkDeleted(lease.SessionId, number));
    }

    [Fact]
    public async Task Commit_Marks_RemovesMessagesAndDeletesBodies()
    {
        await CreateMailbox();
        var (first, _) = await Deliver("one\n");
        var (second, _) = await Deliver("two\n");
        var (third, _) = await Deliver("three\n");
        var lease = NewLease();
        await Mailbox.Open(lease, LockPolicy.Exclusive);
        await Mailbox.MarkDeleted(lease.SessionId, 1);
        await Mailbox.MarkDeleted(lease.SessionId, 3);

        var commit = await Mailbox.Commit(lease.SessionId);

        Assert.Equal(new CommitResult(MailboxStatus.Ok, 2), commit);
        Assert.False(await BodyExists(first.BodyId));
        Assert.True(await BodyExists(second.BodyId));
        Assert.False(await BodyExists(third.BodyId));
        Assert.Equal(MailboxStatus.SessionLost, await Mailbox.Renew(lease.SessionId));
        var next = NewLease();
        await Mailbox.Open(next, LockPolicy.Exclusive);
        Assert.Equal([new ListingItem(1, second.Size, second.BodyId)], (await Mailbox.List(next.SessionId, null)).Items);
    }

    [Fact]
    public async Task Commit_ThenDeactivate_ChangeIsPersisted()
    {
        await CreateMailbox();
        await Deliver("one\n");
        var (kept, _) = await Deliver("two\n");
        var lease = NewLease();
        await Mailbox.Open(lease, LockPolicy.Exclusive);
        await Mailbox.MarkDeleted(lease.SessionId, 1);
        await Mailbox.Commit(lease.SessionId);

        await Fixture.Cluster.DeactivateAsync(Mailbox);

        var info = await Mailbox.Describe();
        Assert.True(info.Exists);
        Assert.Equal(1, info.MessageCount);
        Assert.Equal(kept.Size, info.Octets);
        var next = NewLease();
        await Mailbox.Open(next, LockPolicy.Exclusive);
        Assert.Equal(kept.BodyId, (await Mailbox.List(next.SessionId, null)).Items.Single().Uidl);
    }

    [Fact]
    public async Task Commit_NoMarks_ReleasesAndDeletesNothing()
    {
        await CreateMailbox();
        var (body, _) = await Deliver("one\n");
        var lease = NewLease();
        await Mailbox.Open(lease, LockPolicy.Exclusive);

        Assert.Equal(new CommitResult(MailboxStatus.Ok, 0), await Mailbox.Commit(lease.SessionId));

        Assert.True(await BodyExists(body.BodyId));
        Assert.Null((await Mailbox.Describe()).Lock);
    }

    [Fact]
    public async Task Release_WithMarks_DeletesNothingAndFreesTheLock()
    {
        await CreateMailbox();
        var (body, _) = await Deliver("one\n");
        var lease = NewLease();
        await Mailbox.Open(lease, LockPolicy.Exclusive);
        await Mailbox.MarkDeleted(lease.SessionId, 1);

        await Mailbox.Release(lease.SessionId);

        Assert.True(await BodyExists(body.BodyId));
        Assert.Equal(MailboxStatus.SessionLost, (await Mailbox.Stat(lease.SessionId)).Status);
        var next = NewLease();
        Assert.Equal(1, (await Mailbox.Open(next, LockPolicy.Exclusive)).MessageCount);
    }

    [Fact]
    public async Task Commit_WriteFails_StorageUnavailableAndNothingDeleted()
    {
        await CreateMailbox();
        var (body, _) = await Deliver("one\n");
        var lease = NewLease();
        await Mailbox.Open(lease, LockPolicy.Exclusive);
        await Mailbox.MarkDeleted(lease.SessionId, 1);

        Fixture.Faults.FailWrites = true;
        CommitResult commit;
        try
        {
            commit = await Mailbox.Commit(lease.SessionId);
        }
        finally
        {
            Fixture.Faults.FailWrites = false;
        }

        Assert.Equal(new CommitResult(MailboxStatus.StorageUnavailable, 0), commit);
        Assert.True(await BodyExists(body.BodyId));
        Assert.Equal(1, (await Mailbox.Describe()).MessageCount);
        Assert.Equal(MailboxStatus.SessionLost, await Mailbox.Renew(lease.SessionId));
        await Fixture.Cluster.DeactivateAsync(Mailbox);
        Assert.Equal(1, (await Mailbox.Open(NewLease(), LockPolicy.Exclusive)).MessageCount);
    }

    [Fact]
    public async Task SessionCalls_UnknownSession_SessionLost()
    {
        await CreateMailbox();
        var stranger = Guid.NewGuid();

        Assert.Equal(MailboxStatus.SessionLost, await Mailbox.Renew(stranger));
        Assert.Equal(MailboxStatus.SessionLost, (await Mailbox.Stat(stranger)).Status);
        Assert.Equal(MailboxStatus.SessionLost, (await Mailbox.List(stranger, null)).Status);
        Assert.Equal(MailboxStatus.SessionLost, (await Mailbox.Fetch(stranger, 1)).Status);
        Assert.Equal(MailboxStatus.SessionLost, await Mailbox.MarkDeleted(stranger, 1));
        Assert.Equal(MailboxStatus.SessionLost, await Mailbox.ResetMarks(stranger));
        Assert.Equal(MailboxStatus.SessionLost, (await Mailbox.Commit(stranger)).Status);
    }

    [Fact]
    public async Task Open_MissingMailbox_NoSuchMailbox()
    {
        Assert.Equal(MailboxStatus.NoSuchMailbox, (await Mailbox.Open(NewLease(), LockPolicy.Exclusive)).Status);
    }
}
