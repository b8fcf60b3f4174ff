using System.Buffers;
using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Mailboxes;

/// <summary>
/// Sessions served from a snapshot: one call opens the session and hands the front-end every entry
/// of the snapshot; the front-end keeps the delete marks and sends them with QUIT.
/// </summary>
public sealed partial class MailboxGrain
{
    /// <summary>Room reserved per entry when encoding a snapshot: a 26-character id, its length bytes and the size.</summary>
    private const int SnapshotBytesPerEntry = 32;

    /// <summary>The last encoded snapshot and the header it was taken from; any index write replaces the header.</summary>
    private (MailboxState Header, byte[] Entries)? _encoded;

    public async Task<SessionSnapshot> OpenSession(SessionLease lease, LockPolicy policy)
    {
        var (status, holder) = await TakeLeaseAsync(lease, policy);
        if (status != MailboxStatus.Ok || _session is not { } session)
        {
            return SessionSnapshot.Failed(status, holder);
        }
        byte[] entries;
        try
        {
            entries = await EncodeSnapshot(session.Count);
        }
        catch (Exception e)
        {
            logger.StorageFailed(e, "taking a session snapshot of", Name);
            Session = null;
            return SessionSnapshot.Failed(MailboxStatus.StorageUnavailable);
        }
        return new SessionSnapshot(MailboxStatus.Ok, session.Count, session.Octets, null, entries);
    }

    /// <summary>Entries 1 to <paramref name="count"/> in the layout of <see cref="SnapshotEntries"/>; reused until the index changes.</summary>
    private async Task<byte[]> EncodeSnapshot(int count)
    {
        var header = state.State;
        if (_encoded is { } cached && ReferenceEquals(cached.Header, header) && count == header.MessageCount)
        {
            return cached.Entries;
        }
        var output = new ArrayBufferWriter<byte>(Math.Max(1, count) * SnapshotBytesPerEntry);
        await _index.VisitAsync(count, (_, entry) => SnapshotEntries.Write(output, entry), CancellationToken.None);
        var entries = output.WrittenSpan.ToArray();
        if (ReferenceEquals(state.State, header) && count == header.MessageCount)
        {
            _encoded = (header, entries);
        }
        return entries;
    }
}
