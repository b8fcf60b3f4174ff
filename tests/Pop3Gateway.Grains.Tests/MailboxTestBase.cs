using System.Text;
using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Tests;

/// <summary>Helpers for mailbox tests: a fresh mailbox per test and deliveries through the real body store.</summary>
public abstract class MailboxTestBase(ClusterFixture fixture)
{
    protected ClusterFixture Fixture { get; } = fixture;

    protected string Name { get; } = "mb" + Guid.NewGuid().ToString("N")[..12];

    protected IMailboxGrain Mailbox => Fixture.Grains.GetGrain<IMailboxGrain>(Name);

    protected async Task<IMailboxGrain> CreateMailbox()
    {
        Assert.Equal(MailboxStatus.Ok, await Mailbox.Create());
        return Mailbox;
    }

    protected async Task<(StoredBody Body, DeliveryResult Result)> Deliver(string text, string? preservedUidl = null, string? dedupeKey = null)
    {
        var body = await Fixture.Bodies.WriteAsync(Name, new MemoryStream(Encoding.ASCII.GetBytes(text)), CancellationToken.None);
        var result = await Mailbox.Deliver(new DeliveryRequest(body.BodyId, body.Size, preservedUidl, dedupeKey));
        return (body, result);
    }

    protected static SessionLease NewLease(string holder = "client") => new(Guid.NewGuid(), holder);

    /// <summary>Opens a session for <paramref name="lease"/> and returns the entries of its snapshot.</summary>
    protected async Task<MessageEntry[]> OpenEntries(SessionLease lease)
    {
        var snapshot = await Mailbox.OpenSession(lease, LockPolicy.Exclusive);
        Assert.Equal(MailboxStatus.Ok, snapshot.Status);
        return Decode(snapshot);
    }

    protected static MessageEntry[] Decode(SessionSnapshot snapshot) =>
        SnapshotEntries.Index(snapshot.Entries, snapshot.MessageCount).Select(start => SnapshotEntries.Read(snapshot.Entries, start)).ToArray();

    protected Task<bool> BodyExists(string bodyId) => Fixture.Bodies.ExistsAsync(Name, bodyId, CancellationToken.None);
}
