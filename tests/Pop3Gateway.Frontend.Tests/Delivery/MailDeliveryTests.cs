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

    private static string NewLogin() => "d" + Guid.NewGuid().ToString("N")[..12];

    private Task<DeliveryResult> DeliverAsync(string mailbox, string message, string? preservedUidl = null) =>
        _delivery.DeliverAsync(mailbox, new MemoryStream(Encoding.UTF8.GetBytes(message)), preservedUidl, CancellationToken.None);

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
}
