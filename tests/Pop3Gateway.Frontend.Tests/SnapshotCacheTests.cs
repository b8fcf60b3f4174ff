using System.Buffers;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Frontend.Backend;

namespace Pop3Gateway.Frontend.Tests;

/// <summary>The front-end's pieces of a session snapshot: which reads the grain gets, and when.</summary>
public sealed class SnapshotCacheTests
{
    private const int PieceMessages = 2;

    private readonly List<int> _reads = [];
    private readonly Dictionary<int, TaskCompletionSource<SnapshotPiece>> _pending = [];

    [Fact]
    public async Task Prefetch_NextPiece_ReadStartsAtOnceAndIsTakenOverByGet()
    {
        var cache = NewCache(messages: 5);

        cache.Prefetch(3, CancellationToken.None);

        Assert.Equal([3], _reads);
        var get = cache.GetAsync(4, CancellationToken.None);
        Assert.False(get.IsCompleted);
        _pending[3].SetResult(Piece(3, 2));
        var (piece, status) = await get;
        Assert.Equal((MailboxStatus.Ok, 3, "u4"), (status, piece!.First, piece.Entry(4).Uidl));
        Assert.Equal([3], _reads);
        Assert.Equal(1, cache.Reads);
    }

    [Fact]
    public void Prefetch_CachedOrPastTheEndOrOneUnderWay_NoRead()
    {
        var cache = NewCache(messages: 5);

        cache.Prefetch(2, CancellationToken.None);
        cache.Prefetch(6, CancellationToken.None);
        cache.Prefetch(5, CancellationToken.None);
        cache.Prefetch(3, CancellationToken.None);

        Assert.Equal([5], _reads);
    }

    [Fact]
    public async Task Get_OtherPieceThanPrefetched_ReadsItAndDropsTheReadAhead()
    {
        var cache = NewCache(messages: 5);
        cache.Prefetch(3, CancellationToken.None);

        var get = cache.GetAsync(5, CancellationToken.None);
        _pending[5].SetResult(Piece(5, 1));
        _pending[3].SetException(new TimeoutException("never taken over"));

        Assert.Equal(5, (await get).Piece!.First);
        Assert.Equal([3, 5], _reads);
    }

    private SnapshotCache NewCache(int messages) =>
        new(new SessionSnapshot(MailboxStatus.Ok, messages, 10L * messages, null, Piece(1, PieceMessages).Entries, PieceMessages),
            (first, max, _) =>
            {
                Assert.Equal(PieceMessages, max);
                _reads.Add(first);
                return (_pending[first] = new TaskCompletionSource<SnapshotPiece>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            });

    private static SnapshotPiece Piece(int first, int count)
    {
        var entries = new ArrayBufferWriter<byte>();
        for (var number = first; number < first + count; number++)
        {
            SnapshotEntries.Write(entries, new MessageEntry($"u{number}", 10, $"b{number}"));
        }
        return new SnapshotPiece(MailboxStatus.Ok, first, count, entries.WrittenMemory.ToArray());
    }
}
