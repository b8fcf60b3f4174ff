using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Tests;

/// <summary>
/// A QUIT whose commit outcome the caller could not learn (its silo died, storage timed out after
/// the write landed) is asked again with the same session id, and the answer is the truth.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class MailboxCommitOutcomeTests(ClusterFixture fixture) : MailboxTestBase(fixture)
{
    [Fact]
    public async Task CommitMarks_AskedAgainAfterANewActivation_OkWithTheSameCount()
    {
        await CreateMailbox();
        var (first, _) = await Deliver("one\n");
        await Deliver("two\n");
        var lease = NewLease();
        await Mailbox.OpenSession(lease, LockPolicy.Exclusive);
        Assert.Equal(new CommitResult(MailboxStatus.Ok, 1), await Mailbox.CommitMarks(lease.SessionId, MessageMarks.Of(1)));

        // The reply was lost with its silo: the mailbox comes back from storage, and the front-end asks again.
        await Fixture.Cluster.DeactivateAsync(Mailbox);
        var again = await Mailbox.CommitMarks(lease.SessionId, MessageMarks.Of(1));

        Assert.Equal(new CommitResult(MailboxStatus.Ok, 1), again);
        Assert.Equal(1, (await Mailbox.Describe()).MessageCount);
        Assert.False(await BodyExists(first.BodyId));
    }

    [Fact]
    public async Task CommitMarks_WriteLandsButTimesOut_ReadBackFindsItAndDeletes()
    {
        await CreateMailbox();
        var (first, _) = await Deliver("one\n");
        var (second, _) = await Deliver("two\n");
        var lease = NewLease();
        await Mailbox.OpenSession(lease, LockPolicy.Exclusive);

        Fixture.Faults.LandThenFailWrites = true;
        CommitResult commit;
        try
        {
            commit = await Mailbox.CommitMarks(lease.SessionId, MessageMarks.Of(2));
        }
        finally
        {
            Fixture.Faults.LandThenFailWrites = false;
        }

        Assert.Equal(new CommitResult(MailboxStatus.Ok, 1), commit);
        Assert.True(await BodyExists(first.BodyId));
        Assert.False(await BodyExists(second.BodyId));
        // The activation carries on from the header it read back: the next delivery does not conflict.
        Assert.Equal(MailboxStatus.Ok, (await Deliver("three\n")).Result.Status);
        Assert.Equal(2, (await Mailbox.Describe()).MessageCount);
    }

    [Fact]
    public async Task CommitMarks_WriteLandsAndStorageCannotBeRead_UnknownThenOkWhenAskedAgain()
    {
        await CreateMailbox();
        await Deliver("one\n");
        var (second, _) = await Deliver("two\n");
        var lease = NewLease();
        await Mailbox.OpenSession(lease, LockPolicy.Exclusive);

        Fixture.Faults.LandThenFailWrites = true;
        Fixture.Faults.FailReads = true;
        CommitResult commit;
        try
        {
            commit = await Mailbox.CommitMarks(lease.SessionId, MessageMarks.Of(2));
        }
        finally
        {
            Fixture.Faults.LandThenFailWrites = false;
            Fixture.Faults.FailReads = false;
        }
        Assert.Equal(MailboxStatus.OutcomeUnknown, commit.Status);

        var again = await Mailbox.CommitMarks(lease.SessionId, MessageMarks.Of(2));

        Assert.Equal(new CommitResult(MailboxStatus.Ok, 1), again);
        Assert.Equal(1, (await Mailbox.Describe()).MessageCount);
        Assert.False(await MailboxListsBody(second.BodyId));
    }

    [Fact]
    public async Task CommitMarks_WriteRejected_NothingDeletedAndAskingAgainSaysSo()
    {
        await CreateMailbox();
        var (first, _) = await Deliver("one\n");
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

        Assert.Equal(MailboxStatus.StorageUnavailable, commit.Status);
        Assert.Equal(MailboxStatus.SessionLost, (await Mailbox.CommitMarks(lease.SessionId, MessageMarks.Of(1))).Status);
        Assert.Equal(1, (await Mailbox.Describe()).MessageCount);
        Assert.True(await BodyExists(first.BodyId));
    }

    private async Task<bool> MailboxListsBody(string bodyId)
    {
        var lease = NewLease();
        var snapshot = await Mailbox.OpenSession(lease, LockPolicy.Exclusive);
        await Mailbox.Release(lease.SessionId);
        var starts = SnapshotEntries.Index(snapshot.Entries, snapshot.MessageCount);
        return starts.Any(start => SnapshotEntries.Read(snapshot.Entries, start).BodyId == bodyId);
    }
}
