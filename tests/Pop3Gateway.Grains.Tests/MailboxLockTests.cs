using Pop3Gateway.Abstractions;
using Pop3Gateway.Grains.Mailboxes;

namespace Pop3Gateway.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class MailboxLockTests(ClusterFixture fixture) : MailboxTestBase(fixture)
{
    [Fact]
    public async Task Open_WhileLocked_Exclusive_InUseWithHolder()
    {
        await CreateMailbox();
        var first = NewLease("10.0.0.1 session a");
        await Mailbox.Open(first, LockPolicy.Exclusive);

        var second = await Mailbox.Open(NewLease("10.0.0.2 session b"), LockPolicy.Exclusive);

        Assert.Equal(new OpenResult(MailboxStatus.InUse, 0, 0, "10.0.0.1 session a"), second);
        Assert.Equal(MailboxStatus.Ok, await Mailbox.Renew(first.SessionId));
    }

    [Fact]
    public async Task Open_SameSessionTwice_KeepsMarks()
    {
        await CreateMailbox();
        await Deliver("one\n");
        var lease = NewLease();
        await Mailbox.Open(lease, LockPolicy.Exclusive);
        await Mailbox.MarkDeleted(lease.SessionId, 1);

        var again = await Mailbox.Open(lease, LockPolicy.Exclusive);

        Assert.Equal(MailboxStatus.Ok, again.Status);
        Assert.Equal(0, again.MessageCount);
    }

    [Fact]
    public async Task Open_Takeover_DiscardsOldMarksAndOldSessionIsLost()
    {
        await CreateMailbox();
        var (body, _) = await Deliver("one\n");
        var old = NewLease("old");
        await Mailbox.Open(old, LockPolicy.Exclusive);
        await Mailbox.MarkDeleted(old.SessionId, 1);

        var taken = NewLease("new");
        var open = await Mailbox.Open(taken, LockPolicy.Takeover);

        Assert.Equal(new OpenResult(MailboxStatus.Ok, 1, body.Size, null), open);
        Assert.Equal(MailboxStatus.SessionLost, (await Mailbox.Commit(old.SessionId)).Status);
        Assert.Equal(MailboxStatus.SessionLost, await Mailbox.Renew(old.SessionId));
        await Mailbox.Release(old.SessionId);
        Assert.Equal(MailboxStatus.Ok, (await Mailbox.Fetch(taken.SessionId, 1)).Status);
        Assert.True(await BodyExists(body.BodyId));
        Assert.Equal("new", (await Mailbox.Describe()).Lock?.Holder);
    }

    [Fact]
    public async Task Lease_NotRenewedForNinetySeconds_ExpiresAndFreesTheLock()
    {
        await CreateMailbox();
        await Deliver("one\n");
        var stale = NewLease("stale");
        await Mailbox.Open(stale, LockPolicy.Exclusive);
        await Mailbox.MarkDeleted(stale.SessionId, 1);

        Fixture.Clock.Advance(MailboxGrain.LeaseLifetime + TimeSpan.FromSeconds(1));

        Assert.Null((await Mailbox.Describe()).Lock);
        var fresh = NewLease("fresh");
        Assert.Equal(new OpenResult(MailboxStatus.Ok, 1, (await Mailbox.Describe()).Octets, null), await Mailbox.Open(fresh, LockPolicy.Exclusive));
        Assert.Equal(MailboxStatus.SessionLost, (await Mailbox.Stat(stale.SessionId)).Status);
    }

    [Fact]
    public async Task Lease_SessionCalls_KeepItAlive()
    {
        await CreateMailbox();
        var lease = NewLease();
        await Mailbox.Open(lease, LockPolicy.Exclusive);

        Fixture.Clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(MailboxStatus.Ok, await Mailbox.Renew(lease.SessionId));
        Fixture.Clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(MailboxStatus.Ok, (await Mailbox.Stat(lease.SessionId)).Status);
        Fixture.Clock.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal(MailboxStatus.InUse, (await Mailbox.Open(NewLease(), LockPolicy.Exclusive)).Status);
    }

    [Fact]
    public async Task Describe_WhileLocked_ShowsHolderAndExpiry()
    {
        await CreateMailbox();
        var (body, _) = await Deliver("hello\n");
        var lease = NewLease("holder");
        var before = Fixture.Clock.GetUtcNow();
        await Mailbox.Open(lease, LockPolicy.Exclusive);

        var info = await Mailbox.Describe();

        Assert.True(info.Exists);
        Assert.Equal(1, info.MessageCount);
        Assert.Equal(body.Size, info.Octets);
        Assert.Equal(lease, info.Lock);
        Assert.NotNull(info.LockExpires);
        Assert.InRange(info.LockExpires.Value, before + MailboxGrain.LeaseLifetime, Fixture.Clock.GetUtcNow() + MailboxGrain.LeaseLifetime);
    }
}
