using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Frontends;
using Pop3Gateway.Grains.Mailboxes;

namespace Pop3Gateway.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class MailboxLockTests(ClusterFixture fixture) : MailboxTestBase(fixture)
{
    [Fact]
    public async Task OpenSession_WhileLocked_Exclusive_InUseWithHolder()
    {
        await CreateMailbox();
        var first = NewLease("10.0.0.1 session a");
        await Mailbox.OpenSession(first, LockPolicy.Exclusive);

        var second = await Mailbox.OpenSession(NewLease("10.0.0.2 session b"), LockPolicy.Exclusive);

        Assert.Equal(MailboxStatus.InUse, second.Status);
        Assert.Equal("10.0.0.1 session a", second.LockHolder);
        Assert.Equal(MailboxStatus.Ok, await Mailbox.Renew(first.SessionId));
    }

    [Fact]
    public async Task OpenSession_SameSessionTwice_SameSnapshotAndStillHeld()
    {
        await CreateMailbox();
        await Deliver("one\n");
        var lease = NewLease();
        var first = await OpenEntries(lease);
        await Deliver("two\n");

        var again = await OpenEntries(lease);

        Assert.Equal(first, again);
        Assert.Equal(lease, (await Mailbox.Describe()).Lock);
    }

    [Fact]
    public async Task OpenSession_Takeover_OldSessionIsLostAndNothingDeleted()
    {
        await CreateMailbox();
        var (body, _) = await Deliver("one\n");
        var old = NewLease("old");
        await Mailbox.OpenSession(old, LockPolicy.Exclusive);

        var taken = NewLease("new");
        var open = await Mailbox.OpenSession(taken, LockPolicy.Takeover);

        Assert.Equal(MailboxStatus.Ok, open.Status);
        Assert.Equal(1, open.MessageCount);
        Assert.Equal(body.Size, open.Octets);
        Assert.Equal(MailboxStatus.SessionLost, await Mailbox.Renew(old.SessionId));
        await Mailbox.Release(old.SessionId);
        Assert.Equal(MailboxStatus.Ok, await Mailbox.Renew(taken.SessionId));
        Assert.True(await BodyExists(body.BodyId));
        Assert.Equal("new", (await Mailbox.Describe()).Lock?.Holder);
    }

    [Fact]
    public async Task Lease_NotRenewedForTheSessionLease_ExpiresAndFreesTheLock()
    {
        await CreateMailbox();
        await Deliver("one\n");
        var stale = NewLease("stale");
        await Mailbox.OpenSession(stale, LockPolicy.Exclusive);

        Fixture.Clock.Advance(SessionLivenessOptions.DefaultSessionLease + TimeSpan.FromSeconds(1));

        Assert.Null((await Mailbox.Describe()).Lock);
        var fresh = await Mailbox.OpenSession(NewLease("fresh"), LockPolicy.Exclusive);
        Assert.Equal(MailboxStatus.Ok, fresh.Status);
        Assert.Equal(1, fresh.MessageCount);
        Assert.Equal(MailboxStatus.SessionLost, await Mailbox.Renew(stale.SessionId));
    }

    [Fact]
    public async Task Lease_Renewals_KeepItAlive()
    {
        await CreateMailbox();
        var lease = NewLease();
        await Mailbox.OpenSession(lease, LockPolicy.Exclusive);

        // Renewed every 60% of the lease: 180% of it in all.
        var step = SessionLivenessOptions.DefaultSessionLease * 0.6;
        Fixture.Clock.Advance(step);
        Assert.Equal(MailboxStatus.Ok, await Mailbox.Renew(lease.SessionId));
        Fixture.Clock.Advance(step);
        Assert.Equal(MailboxStatus.Ok, await Mailbox.Renew(lease.SessionId));
        Fixture.Clock.Advance(step);

        Assert.Equal(MailboxStatus.InUse, (await Mailbox.OpenSession(NewLease(), LockPolicy.Exclusive)).Status);
    }

    [Fact]
    public async Task Describe_WhileLocked_ShowsHolderAndExpiry()
    {
        await CreateMailbox();
        var (body, _) = await Deliver("hello\n");
        var lease = NewLease("holder");
        var before = Fixture.Clock.GetUtcNow();
        await Mailbox.OpenSession(lease, LockPolicy.Exclusive);

        var info = await Mailbox.Describe();

        Assert.True(info.Exists);
        Assert.Equal(1, info.MessageCount);
        Assert.Equal(body.Size, info.Octets);
        Assert.Equal(lease, info.Lock);
        Assert.NotNull(info.LockExpires);
        Assert.InRange(info.LockExpires.Value, before + SessionLivenessOptions.DefaultSessionLease, Fixture.Clock.GetUtcNow() + SessionLivenessOptions.DefaultSessionLease);
    }
}
