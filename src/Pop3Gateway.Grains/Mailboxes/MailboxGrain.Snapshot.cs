using System.Buffers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Mailboxes;

/// <summary>
/// Sessions served from a snapshot: one call opens the session and hands the front-end the totals and
/// the first piece of entries; a larger snapshot's further pieces are read on demand while the session
/// holds the lease. The snapshot is the first <see cref="MailboxSession.Count"/> entries of the index
/// (deliveries append, only the lease holder's commit deletes), so every piece is served from the
/// current index and matches the session's start. The front-end keeps the delete marks and sends them with QUIT.
/// </summary>
public sealed partial class MailboxGrain
{
    /// <summary>Room reserved per entry when encoding a snapshot: a 26-character id, its length bytes and the size.</summary>
    private const int SnapshotBytesPerEntry = 32;

    /// <summary>The last encoded first piece and the header it was taken from; any index write replaces the header.</summary>
    private (MailboxState Header, int Count, byte[] Entries)? _encoded;

    private int? _pieceMessages;

    /// <summary>Messages per snapshot piece (<see cref="SnapshotPieceOptions"/>), capped so a piece stays under its byte bound.</summary>
    private int PieceMessages => _pieceMessages ??= Math.Clamp(
        ServiceProvider.GetService<IOptions<SnapshotPieceOptions>>()?.Value.Messages ?? SnapshotPieces.DefaultMessages,
        1, SnapshotPieces.MaxBytes / SnapshotPieces.MaxEntryBytes);

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
            entries = await EncodeFirstPiece(Math.Min(session.Count, PieceMessages));
        }
        catch (Exception e)
        {
            logger.StorageFailed(e, "taking a session snapshot of", Name);
            Session = null;
            return SessionSnapshot.Failed(MailboxStatus.StorageUnavailable);
        }
        return new SessionSnapshot(MailboxStatus.Ok, session.Count, session.Octets, null, entries, PieceMessages);
    }

    public async Task<SnapshotPiece> ReadSnapshot(Guid sessionId, int firstMessage, int maxMessages)
    {
        if (SessionFor(sessionId) is not { } session)
        {
            return SnapshotPiece.Failed(MailboxStatus.SessionLost);
        }
        if (firstMessage < 1 || firstMessage > session.Count || maxMessages < 1)
        {
            return SnapshotPiece.Failed(MailboxStatus.NoSuchMessage);
        }
        var count = Math.Min(Math.Min(maxMessages, PieceMessages), session.Count - firstMessage + 1);
        try
        {
            return new SnapshotPiece(MailboxStatus.Ok, firstMessage, count, await EncodeAsync(firstMessage, count));
        }
        catch (Exception e)
        {
            logger.StorageFailed(e, "reading a session snapshot of", Name);
            return SnapshotPiece.Failed(MailboxStatus.StorageUnavailable);
        }
    }

    /// <summary>Entries 1 to <paramref name="count"/>; reused until the index changes.</summary>
    private async Task<byte[]> EncodeFirstPiece(int count)
    {
        var header = state.State;
        if (_encoded is { } cached && ReferenceEquals(cached.Header, header) && cached.Count == count)
        {
            return cached.Entries;
        }
        var entries = await EncodeAsync(1, count);
        if (ReferenceEquals(state.State, header))
        {
            _encoded = (header, count, entries);
        }
        return entries;
    }

    /// <summary>Entries <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> - 1 in the layout of <see cref="SnapshotEntries"/>.</summary>
    private async Task<byte[]> EncodeAsync(int first, int count)
    {
        var output = new ArrayBufferWriter<byte>(Math.Max(1, count) * SnapshotBytesPerEntry);
        await _index.VisitAsync(first, count, (_, entry) => SnapshotEntries.Write(output, entry), CancellationToken.None);
        return output.WrittenSpan.ToArray();
    }
}
