using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Frontend.Delivery;

namespace Pop3Gateway.Frontend.Tests.Delivery;

/// <summary>The one delivery path, against real grains and the embedded body store.</summary>
[Collection(FrontendCollection.Name)]
public sealed class MailDeliveryTests(FrontendFixture fixture)
{
    private const string Password = "correct horse";

    private readonly MailDelivery _delivery = new(fixture.Grains, fixture.Bodies, NullLogger<MailDelivery>.Instance);

    private const string Retried = "Message-ID: <retry-1@example.test>\r\nSubject: retried\r\n\r\nbody\r\n";

    private static string NewLogin() => "d" + Guid.NewGuid().ToString("N")[..12];

    private Task<DeliveryResult> DeliverAsync(string mailbox, string message, string? preservedUidl = null, bool dedupe = false) =>
        _delivery.DeliverAsync(mailbox, new MemoryStream(Encoding.UTF8.GetBytes(message)), preservedUidl, dedupe, CancellationToken.None);

    private Task<DeliveryResult> DedupeAsync(string mailbox, string message) => DeliverAsync(mailbox, message, dedupe: true);

    private async Task<string> NewMailboxAsync()
    {
        var login = NewLogin();
        await fixture.CreateMailboxAsync(login, Password);
        return login;
    }

    private async Task<int> MessageCountAsync(string mailbox) =>
        (await fixture.Grains.GetGrain<IMailboxGrain>(mailbox).Describe()).MessageCount;

    private async Task<List<string>> BodiesOfAsync(string mailbox)
    {
        var ids = new List<string>();
        await foreach (var body in fixture.Bodies.ListAsync(mailbox, CancellationToken.None))
        {
            ids.Add(body.BodyId);
        }
        return ids;
    }

    private async Task<string> ReadBodyAsync(string mailbox, string bodyId)
    {
        await using var stream = await fixture.Bodies.OpenReadAsync(mailbox, bodyId, CancellationToken.None);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    [Fact]
    public async Task DeliverAsync_Accepted_BodyNormalizedAndEntryCommitted()
    {
        var login = NewLogin();
        await fixture.CreateMailboxAsync(login, Password);

        var result = await DeliverAsync(login, "Subject: lf\n\nbody");

        Assert.Equal(MailboxStatus.Ok, result.Status);
        var bodyId = Assert.Single(await BodiesOfAsync(login));
        Assert.Equal(bodyId, result.Uidl);
        const string normalized = "Subject: lf\r\n\r\nbody\r\n";
        Assert.Equal(normalized, await ReadBodyAsync(login, bodyId));
        var info = await fixture.Grains.GetGrain<IMailboxGrain>(login).Describe();
        Assert.Equal((1, (long)normalized.Length), (info.MessageCount, info.Octets));
    }

    [Fact]
    public async Task DeliverAsync_PreservedUidl_KeptAsTheMessagesUidl()
    {
        var login = NewLogin();
        await fixture.CreateMailboxAsync(login, Password);

        var result = await DeliverAsync(login, "Subject: kept\r\n\r\n", "00000001deadbeef");

        Assert.Equal((MailboxStatus.Ok, "00000001deadbeef"), (result.Status, result.Uidl));
        Assert.Single(await BodiesOfAsync(login));
    }

    [Fact]
    public async Task DeliverAsync_DuplicatePreservedUidl_RefusedAndItsBodyDeleted()
    {
        var login = NewLogin();
        await fixture.CreateMailboxAsync(login, Password);
        var first = await DeliverAsync(login, "Subject: first\r\n\r\n", "same-uidl");
        var kept = Assert.Single(await BodiesOfAsync(login));

        var second = await DeliverAsync(login, "Subject: second\r\n\r\n", "same-uidl");

        Assert.Equal(MailboxStatus.Ok, first.Status);
        Assert.Equal(MailboxStatus.InvalidRequest, second.Status);
        Assert.Contains("UIDL 'same-uidl' is already used", second.Error, StringComparison.Ordinal);
        Assert.Equal([kept], await BodiesOfAsync(login));
        Assert.Equal("Subject: first\r\n\r\n", await ReadBodyAsync(login, kept));
    }

    [Fact]
    public async Task DeliverAsync_OverQuota_RefusedAndBodyDeleted()
    {
        var login = NewLogin();
        await fixture.CreateMailboxAsync(login, Password);
        Assert.Equal(MailboxStatus.Ok, await fixture.Grains.GetGrain<IMailboxGrain>(login).SetQuota(new QuotaSetting(100, null)));

        var result = await DeliverAsync(login, "Subject: big\r\n\r\n" + new string('x', 200) + "\r\n");

        Assert.Equal((MailboxStatus.QuotaExceeded, null), (result.Status, result.Uidl));
        Assert.Empty(await BodiesOfAsync(login));
        Assert.Equal(0, (await fixture.Grains.GetGrain<IMailboxGrain>(login).Describe()).MessageCount);
    }

    [Fact]
    public async Task DeliverAsync_NoSuchMailbox_RefusedAndBodyDeleted()
    {
        var login = NewLogin();

        var result = await DeliverAsync(login, "Subject: nobody\r\n\r\n");

        Assert.Equal(MailboxStatus.NoSuchMailbox, result.Status);
        Assert.Empty(await BodiesOfAsync(login));
    }

    [Fact]
    public async Task DeliverAsync_EmptyMessage_StoreThrowsAndNothingCommitted()
    {
        var login = NewLogin();
        await fixture.CreateMailboxAsync(login, Password);

        await Assert.ThrowsAsync<ArgumentException>(() => DeliverAsync(login, ""));

        Assert.Empty(await BodiesOfAsync(login));
        Assert.Equal(0, (await fixture.Grains.GetGrain<IMailboxGrain>(login).Describe()).MessageCount);
    }

    [Fact]
    public async Task DeliverAsync_IndexNotWritten_StorageUnavailableAndBodyKeptForTheSweep()
    {
        var login = NewLogin();
        await fixture.CreateMailboxAsync(login, Password);
        // Active, with its state read: what fails is the index write of the delivery (a new mailbox leaves memory).
        Assert.True((await fixture.Grains.GetGrain<IMailboxGrain>(login).Describe()).Exists);
        var stateFile = Directory.EnumerateFiles(Path.Combine(fixture.DataDirectory, "grains"), "*", SearchOption.AllDirectories)
            .Single(path => path.Contains("mailbox", StringComparison.OrdinalIgnoreCase) && Path.GetFileName(path).Contains(login, StringComparison.Ordinal));
        var aside = stateFile + ".aside";
        File.Move(stateFile, aside);
        Directory.CreateDirectory(stateFile); // the state file cannot be read or replaced: a real storage failure
        DeliveryResult result;
        try
        {
            result = await DeliverAsync(login, "Subject: unknown\r\n\r\n");
        }
        finally
        {
            Directory.Delete(stateFile);
            File.Move(aside, stateFile);
        }

        Assert.Equal(MailboxStatus.StorageUnavailable, result.Status);
        Assert.Single(await BodiesOfAsync(login));
        Assert.Equal(0, (await fixture.Grains.GetGrain<IMailboxGrain>(login).Describe()).MessageCount);
    }

    [Fact]
    public async Task DeliverAsync_SameMessageTwice_DuplicateAnsweredWithFirstUidlAndItsBodyDeleted()
    {
        var mailbox = await NewMailboxAsync();

        var first = await DedupeAsync(mailbox, Retried);
        var second = await DedupeAsync(mailbox, Retried);

        Assert.Equal((MailboxStatus.Ok, false), (first.Status, first.Duplicate));
        Assert.Equal((MailboxStatus.Ok, first.Uidl, true), (second.Status, second.Uidl, second.Duplicate));
        Assert.Equal(1, await MessageCountAsync(mailbox));
        Assert.Equal([first.Uidl!], await BodiesOfAsync(mailbox));
    }

    [Theory]
    [InlineData("Message-ID: <r@x>\nSubject: s\n\nbody\n", "Message-ID: <r@x>\r\nSubject: s\r\n\r\nbody", true)] // one stored form
    [InlineData("Message-ID: <r@x>\r\n\r\nbody\r\n", "Message-ID: <r@x>\r\n\r\nanother body\r\n", false)]
    [InlineData("Message-ID: <r@x>\r\n\r\nbody\r\n", "Message-ID: <s@x>\r\n\r\nbody\r\n", false)]
    public async Task DeliverAsync_TwoMessages_DuplicateExactlyWhenMessageIdAndStoredBytesMatch(string first, string second, bool duplicate)
    {
        var mailbox = await NewMailboxAsync();

        var firstResult = await DedupeAsync(mailbox, first);
        var secondResult = await DedupeAsync(mailbox, second);

        Assert.Equal(duplicate, secondResult.Duplicate);
        Assert.Equal(duplicate, firstResult.Uidl == secondResult.Uidl);
        Assert.Equal(duplicate ? 1 : 2, await MessageCountAsync(mailbox));
    }

    [Fact]
    public async Task DeliverAsync_DedupeOff_SameMessageStoredTwice()
    {
        var mailbox = await NewMailboxAsync();

        await DeliverAsync(mailbox, Retried);
        var second = await DeliverAsync(mailbox, Retried);

        Assert.False(second.Duplicate);
        Assert.Equal(2, await MessageCountAsync(mailbox));
    }

    [Theory]
    [InlineData("Subject: no id\r\n\r\nbody\r\n")]
    [InlineData("Subject: id in the body\r\n\r\nMessage-ID: <body-only@example.test>\r\n")]
    [InlineData("Message-ID:   \r\nSubject: empty id\r\n\r\nbody\r\n")]
    public async Task DeliverAsync_NoMessageIdHeader_DeliveredEveryTime(string message)
    {
        var mailbox = await NewMailboxAsync();

        await DedupeAsync(mailbox, message);
        var second = await DedupeAsync(mailbox, message);

        Assert.Equal((MailboxStatus.Ok, false), (second.Status, second.Duplicate));
        Assert.Equal(2, await MessageCountAsync(mailbox));
        Assert.Equal(2, (await BodiesOfAsync(mailbox)).Count);
    }

    [Fact]
    public async Task DeliverAsync_FoldedMessageIdHeader_Deduplicated()
    {
        var mailbox = await NewMailboxAsync();
        const string folded = "Subject: folded\r\nmessage-id:\r\n <folded@example.test>\r\n\r\nbody\r\n";

        await DedupeAsync(mailbox, folded);
        var second = await DedupeAsync(mailbox, folded);

        Assert.True(second.Duplicate);
        Assert.Equal(1, await MessageCountAsync(mailbox));
    }

    [Fact]
    public async Task WriteAsync_Sha256_IsTheDigestOfTheStoredBytes()
    {
        var mailbox = await NewMailboxAsync();

        var stored = await fixture.Bodies.WriteAsync(mailbox, new MemoryStream("Message-ID: <d@x>\nSubject: lf\n\nno final newline"u8.ToArray()), CancellationToken.None);

        await using var read = await fixture.Bodies.OpenReadAsync(mailbox, stored.BodyId, CancellationToken.None);
        var bytes = new MemoryStream();
        await read.CopyToAsync(bytes);
        Assert.Equal("Message-ID: <d@x>\r\nSubject: lf\r\n\r\nno final newline\r\n", Encoding.ASCII.GetString(bytes.ToArray()));
        Assert.Equal(SHA256.HashData(bytes.ToArray()), stored.Sha256);
    }
}
