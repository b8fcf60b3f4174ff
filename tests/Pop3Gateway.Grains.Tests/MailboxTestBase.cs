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

    /// <summary>Opens a session for <paramref name="lease"/> and returns the entries of its snapshot, every piece read.</summary>
    protected async Task<MessageEntry[]> OpenEntries(SessionLease lease)
    {
        var snapshot = await Mailbox.OpenSession(lease, LockPolicy.Exclusive);
        Assert.Equal(MailboxStatus.Ok, snapshot.Status);
        var entries = Decode(snapshot).ToList();
        while (entries.Count < snapshot.MessageCount)
        {
            var piece = await Mailbox.ReadSnapshot(lease.SessionId, entries.Count + 1, snapshot.PieceMessages);
            Assert.Equal(MailboxStatus.Ok, piece.Status);
            entries.AddRange(Decode(piece.Entries, piece.Count));
        }
        return [.. entries];
    }

    /// <summary>The entries of the snapshot's first piece.</summary>
    protected static MessageEntry[] Decode(SessionSnapshot snapshot) => Decode(snapshot.Entries, snapshot.FirstPieceCount);

    protected static MessageEntry[] Decode(byte[] entries, int count) =>
        SnapshotEntries.Index(entries, count).Select(start => SnapshotEntries.Read(entries, start)).ToArray();

    protected Task<bool> BodyExists(string bodyId) => Fixture.Bodies.ExistsAsync(Name, bodyId, CancellationToken.None);

    /// <summary>Delivers <paramref name="count"/> small messages one by one; returns their UIDLs in order.</summary>
    protected async Task<List<string>> DeliverMany(int count)
    {
        var uidls = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var body = await Fixture.Bodies.WriteAsync(Name, new MemoryStream(Encoding.ASCII.GetBytes($"Subject: {i}\r\n\r\nbody {i}\r\n")), CancellationToken.None);
            var result = await Mailbox.Deliver(new DeliveryRequest(body.BodyId, body.Size, null));
            Assert.Equal(MailboxStatus.Ok, result.Status);
            uidls.Add(result.Uidl!);
        }
        return uidls;
    }
}
