using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Frontend.Backend;

/// <summary>
/// A session's snapshot on the front-end: the pieces of entries it has read, the few most recently used
/// kept (<see cref="Capacity"/>), the rest read again from the mailbox grain when needed. A snapshot of one
/// piece (every mailbox of up to 4096 messages) holds it for the whole session and never calls. Memory per
/// session: at most <see cref="Capacity"/> pieces and one read ahead (each under <see cref="SnapshotPieces.MaxBytes"/>
/// plus 4 bytes per entry of offsets, typically 35 bytes per message: about 700 KB) whatever the mailbox size.
/// Used by one command at a time.
/// </summary>
internal sealed class SnapshotCache
{
    /// <summary>Pieces kept: the one a client works through, the one a listing streams, and room for a step back.</summary>
    public const int Capacity = 4;

    private readonly Func<int, int, CancellationToken, Task<SnapshotPiece>> _read;
    private readonly LinkedList<Piece> _pieces = new();
    /// <summary>A read started ahead of need (<see cref="Prefetch"/>): the first message of its piece and the call.</summary>
    private (int First, Task<SnapshotPiece> Read)? _ahead;

    /// <param name="snapshot">The opened session: totals and first piece.</param>
    /// <param name="read">Reads a piece: first message, at most this many messages.</param>
    public SnapshotCache(SessionSnapshot snapshot, Func<int, int, CancellationToken, Task<SnapshotPiece>> read)
    {
        MessageCount = snapshot.MessageCount;
        PieceMessages = Math.Max(1, snapshot.PieceMessages);
        _read = read;
        if (MessageCount > 0)
        {
            Keep(new Piece(1, snapshot.FirstPieceCount, snapshot.Entries));
        }
    }

    public int MessageCount { get; }

    public int PieceMessages { get; }

    /// <summary>Pieces read from the grain after the first.</summary>
    public int Reads { get; private set; }

    /// <summary>The most entry bytes held at once (offsets included), for tests and the benchmark.</summary>
    public long LargestHeld { get; private set; }

    /// <summary>The piece holding message <paramref name="number"/> if it is at hand; null when it must be read.</summary>
    public Piece? Cached(int number)
    {
        var first = FirstOf(number);
        for (var node = _pieces.First; node is not null; node = node.Next)
        {
            if (node.Value.First == first)
            {
                _pieces.Remove(node);
                _pieces.AddFirst(node);
                return node.Value;
            }
        }
        return null;
    }

    /// <summary>The piece holding message <paramref name="number"/>: at hand, or read (a failed read's status otherwise).</summary>
    public async Task<(Piece? Piece, MailboxStatus Status)> GetAsync(int number, CancellationToken cancellationToken)
    {
        if (Cached(number) is { } cached)
        {
            return (cached, MailboxStatus.Ok);
        }
        var first = FirstOf(number);
        var pending = _ahead is { } ahead && ahead.First == first ? ahead.Read : null;
        _ahead = null;
        var read = await (pending ?? _read(first, PieceMessages, cancellationToken));
        if (read.Status != MailboxStatus.Ok)
        {
            return (null, read.Status);
        }
        if (read.FirstMessage != first || read.Count != Math.Min(PieceMessages, MessageCount - first + 1))
        {
            throw new InvalidDataException($"asked for the piece from message {first}, got {read.Count} messages from {read.FirstMessage}");
        }
        Reads++;
        return (Keep(new Piece(first, read.Count, read.Entries)), MailboxStatus.Ok);
    }

    /// <summary>
    /// Starts reading the piece holding message <paramref name="number"/> unless it is at hand or past the end, so
    /// that a listing writes one piece while the grain reads the next; the next <see cref="GetAsync"/> of that
    /// piece takes the read over. Only the caller's own flow touches the cache: the read is kept, not the piece.
    /// </summary>
    public void Prefetch(int number, CancellationToken cancellationToken)
    {
        if (number > MessageCount || _ahead is not null || Cached(number) is not null)
        {
            return;
        }
        var read = _read(FirstOf(number), PieceMessages, cancellationToken);
        // A read nobody takes over (the listing ended early) must not leave its failure unobserved.
        _ = read.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        _ahead = (FirstOf(number), read);
    }

    private int FirstOf(int number) => (number - 1) / PieceMessages * PieceMessages + 1;

    private Piece Keep(Piece piece)
    {
        _pieces.AddFirst(piece);
        while (_pieces.Count > Capacity)
        {
            _pieces.RemoveLast();
        }
        LargestHeld = Math.Max(LargestHeld, _pieces.Sum(p => p.Bytes));
        return piece;
    }

    /// <summary>Entries <see cref="First"/> onwards, found by offset.</summary>
    public sealed class Piece(int first, int count, byte[] entries)
    {
        private readonly int[] _starts = SnapshotEntries.Index(entries, count);

        public int First { get; } = first;

        public int Count { get; } = count;

        /// <summary>Bytes held: the entries and their offsets.</summary>
        public long Bytes => entries.Length + 4L * _starts.Length;

        public MessageEntry Entry(int number) => SnapshotEntries.Read(entries, _starts[number - First]);

        public long Size(int number) => SnapshotEntries.ReadSize(entries, _starts[number - First]);
    }
}
