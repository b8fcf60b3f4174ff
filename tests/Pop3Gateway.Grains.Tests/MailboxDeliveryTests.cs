using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class MailboxDeliveryTests(ClusterFixture fixture) : MailboxTestBase(fixture)
{
    [Fact]
    public async Task Deliver_NoPreservedUidl_UsesBodyIdAsUidl()
    {
        await CreateMailbox();

        var (body, result) = await Deliver("hi\n");

        Assert.Equal(new DeliveryResult(MailboxStatus.Ok, body.BodyId, null), result);
    }

    [Fact]
    public async Task Deliver_PreservedUidl_IsKeptAndDuplicatesRejected()
    {
        await CreateMailbox();

        var (_, first) = await Deliver("one\n", "legacy-uidl-1");
        var (duplicateBody, duplicate) = await Deliver("two\n", "legacy-uidl-1");

        Assert.Equal("legacy-uidl-1", first.Uidl);
        Assert.Equal(MailboxStatus.InvalidRequest, duplicate.Status);
        Assert.Contains("legacy-uidl-1", duplicate.Error);
        Assert.Equal(1, (await Mailbox.Describe()).MessageCount);
        Assert.True(await BodyExists(duplicateBody.BodyId));
    }

    [Fact]
    public async Task Deliver_PreservedUidlOfAnotherMessagesBodyId_Rejected()
    {
        await CreateMailbox();
        var (first, _) = await Deliver("one\n");

        var (_, result) = await Deliver("two\n", first.BodyId);

        Assert.Equal(MailboxStatus.InvalidRequest, result.Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("tab\there")]
    [InlineData("ünïcode")]
    public async Task Deliver_InvalidPreservedUidl_Rejected(string uidl)
    {
        await CreateMailbox();

        var (_, result) = await Deliver("x\n", uidl);

        Assert.Equal(MailboxStatus.InvalidRequest, result.Status);
        Assert.NotNull(result.Error);
        Assert.Equal(0, (await Mailbox.Describe()).MessageCount);
    }

    [Fact]
    public async Task Deliver_SeventyOneCharacterUidl_Rejected()
    {
        await CreateMailbox();

        Assert.Equal(MailboxStatus.Ok, (await Deliver("x\n", new string('u', 70))).Result.Status);
        Assert.Equal(MailboxStatus.InvalidRequest, (await Deliver("y\n", new string('v', 71))).Result.Status);
    }

    [Fact]
    public async Task Deliver_BodyNotInStore_ErrorNamesTheDataDirectory()
    {
        await CreateMailbox();

        var result = await Mailbox.Deliver(new DeliveryRequest("01ARZ3NDEKTSV4RRFFQ69G5FAV", 10, null));

        Assert.Equal(MailboxStatus.InvalidRequest, result.Status);
        Assert.Contains("Storage:DataDirectory", result.Error);
    }

    [Fact]
    public async Task Deliver_NonPositiveSize_Rejected()
    {
        await CreateMailbox();
        var body = await Fixture.Bodies.WriteAsync(Name, new MemoryStream("x"u8.ToArray()), CancellationToken.None);

        var result = await Mailbox.Deliver(new DeliveryRequest(body.BodyId, 0, null));

        Assert.Equal(MailboxStatus.InvalidRequest, result.Status);
    }

    [Fact]
    public async Task Deliver_SameBodyTwice_Rejected()
    {
        await CreateMailbox();
        var (body, _) = await Deliver("x\n");

        var again = await Mailbox.Deliver(new DeliveryRequest(body.BodyId, body.Size, "other-uidl"));

        Assert.Equal(MailboxStatus.InvalidRequest, again.Status);
    }

    [Fact]
    public async Task Deliver_MissingMailbox_NoSuchMailbox()
    {
        var result = await Mailbox.Deliver(new DeliveryRequest("01ARZ3NDEKTSV4RRFFQ69G5FAV", 10, null));

        Assert.Equal(MailboxStatus.NoSuchMailbox, result.Status);
    }

    [Fact]
    public async Task Deliver_WriteFails_StorageUnavailableAndEntryNotKept()
    {
        await CreateMailbox();
        var body = await Fixture.Bodies.WriteAsync(Name, new MemoryStream("x\r\n"u8.ToArray()), CancellationToken.None);

        Fixture.Faults.FailWrites = true;
        DeliveryResult failed;
        try
        {
            failed = await Mailbox.Deliver(new DeliveryRequest(body.BodyId, body.Size, null));
        }
        finally
        {
            Fixture.Faults.FailWrites = false;
        }

        Assert.Equal(MailboxStatus.StorageUnavailable, failed.Status);
        Assert.Equal(0, (await Mailbox.Describe()).MessageCount);
        Assert.Equal(MailboxStatus.Ok, (await Mailbox.Deliver(new DeliveryRequest(body.BodyId, body.Size, null))).Status);
    }

    [Fact]
    public async Task Deliver_AfterDeactivation_UidlsStayTheSame()
    {
        await CreateMailbox();
        var (_, first) = await Deliver("one\n", "keep-me");
        var (_, second) = await Deliver("two\n");

        await Fixture.Cluster.DeactivateAsync(Mailbox);

        Assert.Equal([first.Uidl, second.Uidl], (await OpenEntries(NewLease())).Select(e => e.Uidl));
        Assert.Equal(MailboxStatus.InvalidRequest, (await Deliver("three\n", "keep-me")).Result.Status);
    }

    [Fact]
    public async Task Create_Twice_IsIdempotent()
    {
        await CreateMailbox();
        await Deliver("one\n");

        Assert.Equal(MailboxStatus.Ok, await Mailbox.Create());
        Assert.Equal(1, (await Mailbox.Describe()).MessageCount);
    }
}
