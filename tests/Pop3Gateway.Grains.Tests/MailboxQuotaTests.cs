using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class MailboxQuotaTests(ClusterFixture fixture) : MailboxTestBase(fixture)
{
    [Fact]
    public async Task MessageLimit_NextDeliveryRefused()
    {
        await CreateMailbox();
        Assert.Equal(MailboxStatus.Ok, await Mailbox.SetQuota(new QuotaSetting(null, 1)));
        Assert.Equal(MailboxStatus.Ok, (await Deliver("Subject: 1\r\n\r\n1\r\n")).Result.Status);

        var (_, second) = await Deliver("Subject: 2\r\n\r\n2\r\n");

        Assert.Equal(MailboxStatus.QuotaExceeded, second.Status);
        Assert.Equal(1, (await Mailbox.Describe()).MessageCount);
    }

    [Fact]
    public async Task OctetLimit_ExactFitAcceptedOneMoreRefused()
    {
        await CreateMailbox();
        const string message = "Subject: x\r\n\r\nabc\r\n"; // 19 octets
        Assert.Equal(MailboxStatus.Ok, await Mailbox.SetQuota(new QuotaSetting(19, null)));

        Assert.Equal(MailboxStatus.Ok, (await Deliver(message)).Result.Status);
        Assert.Equal(MailboxStatus.QuotaExceeded, (await Deliver("a\r\n")).Result.Status);

        var quota = await Mailbox.GetQuota();
        Assert.Equal(19, quota.OctetsUsed);
        Assert.Equal(1, quota.MessagesUsed);
        Assert.False(quota.Admits(1));
    }

    [Fact]
    public async Task DefaultUnlimited_ZeroMeansUnlimited_NullMeansDefault()
    {
        await CreateMailbox();

        var quota = await Mailbox.GetQuota();
        Assert.Equal(0, quota.OctetLimit);
        Assert.Equal(0, quota.MessageLimit);
        Assert.Null(quota.Own.Octets);
        Assert.True(quota.Admits(long.MaxValue / 2));

        Assert.Equal(MailboxStatus.Ok, await Mailbox.SetQuota(new QuotaSetting(0, 5)));
        quota = await Mailbox.GetQuota();
        Assert.Equal(0, quota.Own.Octets);
        Assert.Equal(5, quota.MessageLimit);
    }

    [Fact]
    public async Task SetQuota_NegativeOrMissingMailbox_Refused()
    {
        Assert.Equal(MailboxStatus.NoSuchMailbox, await Mailbox.SetQuota(new QuotaSetting(1, 1)));
        await CreateMailbox();
        Assert.Equal(MailboxStatus.InvalidRequest, await Mailbox.SetQuota(new QuotaSetting(-1, null)));
    }

    [Fact]
    public async Task SetQuota_SurvivesReactivation()
    {
        await CreateMailbox();
        Assert.Equal(MailboxStatus.Ok, await Mailbox.SetQuota(new QuotaSetting(1234, 56)));

        await Fixture.Cluster.DeactivateAsync(Mailbox);

        var quota = await Mailbox.GetQuota();
        Assert.Equal(1234, quota.OctetLimit);
        Assert.Equal(56, quota.MessageLimit);
    }
}
