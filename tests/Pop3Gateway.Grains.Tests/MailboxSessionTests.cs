using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Tests;

/// <summary>The life of a mailbox session on the grain: commit, release, failures and strangers.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MailboxSessionTests(ClusterFixture fixture) : MailboxTestBase(fixture)
{
    [Fact]
    public async Task CommitMarks_ThenDeactivate_ChangeIsPersisted()
    {
        await CreateMailbox();
        await Deliver("one\n");
        var (kept, _) = await Deliver("two\n");
        var lease = NewLease();
        await Mailbox.OpenSession(lease, LockPolicy.Exclusive);
        await Mailbox.CommitMarks(lease.SessionId, MessageMarks.Of(1));

        await Fixture.Cluster.DeactivateAsync(Mailbox);

        var info = await Mailbox.Describe();
        Assert.True(info.Exists);
        Assert.Equal(1, info.MessageCount);
        Assert.Equal(kept.Size, info.Octets);
        Assert.Equal(kept.BodyId, (await OpenEntries(NewLease())).Single().Uidl);
    }

    [Fact]
    public async Task CommitMarks_NoMarks_ReleasesAndDeletesNothing()
    {
        await CreateMailbox();
        var (body, _) = await Deliver("one\n");
        var lease = NewLease();
        await Mailbox.OpenSession(lease, LockPolicy.Exclusive);

        Assert.Equal(new CommitResult(MailboxStatus.Ok, 0), await Mailbox.CommitMarks(lease.SessionId, MessageMarks.Of()));

        Assert.True(await BodyExists(body.BodyId));
        Assert.Null((await Mailbox.Describe()).Lock);
    }

    [Fact]
    public async Task CommitMarks_SameNumberTwice_DeletesItOnce()
    {
        await CreateMailbox();
        await Deliver("one\n");
        await Deliver("two\n");
        var lease = NewLease();
        await Mailbox.OpenSession(lease, LockPolicy.Exclusive);

        Assert.Equal(new CommitResult(MailboxStatus.Ok, 1), await Mailbox.CommitMarks(lease.SessionId, MessageMarks.Of(2, 2)));

        Assert.Equal(1, (await Mailbox.Describe()).MessageCount);
    }

    [Fact]
    public async Task Release_WithoutQuit_DeletesNothingAndFreesTheLock()
    {
        await CreateMailbox();
        var (body, _) = await Deliver("one\n");
        var lease = NewLease();
        await Mailbox.OpenSession(lease, LockPolicy.Exclusive);

        await Mailbox.Release(lease.SessionId);

        Assert.True(await BodyExists(body.BodyId));
        Assert.Equal(MailboxStatus.SessionLost, await Mailbox.Renew(lease.SessionId));
        Assert.Equal(MailboxStatus.SessionLost, (await Mailbox.CommitMarks(lease.SessionId, MessageMarks.Of(1))).Status);
        Assert.Single(await OpenEntries(NewLease()));
    }

    [Fact]
    public async Task CommitMarks_WriteFails_StorageUnavailableAndNothingDeleted()
    {
        await CreateMailbox();
        var (body, _) = await Deliver("one\n");
        var lease = NewLease();
        await Mailbox.OpenSession(lease, LockPolicy.Exclusive);

        Fixture.Faults.FailWrites = true;
        CommitResult commit;
        try
        {
            commit = await Mailbox.CommitMarks(lease.SessionId, MessageMarks.Of(1));
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
        Assert.Equal(1, (await Mailbox.OpenSession(NewLease(), LockPolicy.Exclusive)).MessageCount);
    }

    [Fact]
    public async Task SessionCalls_UnknownSession_SessionLost()
    {
        await CreateMailbox();
        await Deliver("one\n");
        var stranger = Guid.NewGuid();

        Assert.Equal(MailboxStatus.SessionLost, await Mailbox.Renew(stranger));
        Assert.Equal(MailboxStatus.SessionLost, (await Mailbox.CommitMarks(stranger, MessageMarks.Of(1))).Status);
        Assert.Equal(1, (await Mailbox.Describe()).MessageCount);
    }

    [Fact]
    public async Task OpenSession_MissingMailbox_NoSuchMailbox()
    {
        var snapshot = await Mailbox.OpenSession(NewLease(), LockPolicy.Exclusive);

        Assert.Equal(MailboxStatus.NoSuchMailbox, snapshot.Status);
        Assert.Empty(snapshot.Entries);
    }
}
