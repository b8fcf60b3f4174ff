using System.Buffers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Frontends;
using Pop3Gateway.Frontend.Backend;
using Pop3Gateway.Frontend.Pop3;
using Pop3Gateway.Frontend.Security;
using Pop3Gateway.Protocol.IO;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Bench.IndexScaling;

/// <summary>A whole UIDL or LIST as a front-end writes it, from an opened session, and what the session holds per message.</summary>
internal static class FrontendListing
{
    /// <summary>
    /// Lines written, how long writing them took (from the front-end's first call), and managed heap bytes per
    /// message the session held at the end of the listing.
    /// </summary>
    public static Task<(int Lines, TimeSpan Elapsed, double HeapPerMessage)> UidlAsync(
        IGrainFactory grains, IBodyStore bodies, string mailbox, SessionLease lease, SessionSnapshot open)
        => ListingAsync(grains, bodies, mailbox, lease, open, item => $"{item.Number} {item.Uidl}");

    /// <summary>The same for LIST: the lines carry sizes instead of UIDLs.</summary>
    public static Task<(int Lines, TimeSpan Elapsed, double HeapPerMessage)> ListAsync(
        IGrainFactory grains, IBodyStore bodies, string mailbox, SessionLease lease, SessionSnapshot open)
        => ListingAsync(grains, bodies, mailbox, lease, open, item => $"{item.Number} {item.Size}");

    private static async Task<(int Lines, TimeSpan Elapsed, double HeapPerMessage)> ListingAsync(
        IGrainFactory grains, IBodyStore bodies, string mailbox, SessionLease lease, SessionSnapshot open,
        Func<Protocol.Backend.MessageListing, string> line)
    {
        // The silo in this process caches the index segments it reads: read them all once first, so that the
        // heap measured around the listing grows by what the front-end's session holds, not by the silo's cache.
        var grain = grains.GetGrain<IMailboxGrain>(mailbox);
        for (var first = 1; first <= open.MessageCount; first += open.PieceMessages)
        {
            await grain.ReadSnapshot(lease.SessionId, first, open.PieceMessages);
        }
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var shared = new Pop3BackendFactory(grains, bodies, Options.Create(new Pop3ServerOptions()),
            new ConnectionSecurity(new SecurityOptions(), new LimitsOptions(), null), TimeProvider.System, NullLogger<GrainPop3Backend>.Instance);
        var session = new OpenSession(lease.SessionId, mailbox, mailbox, "127.0.0.1", "bench", DateTimeOffset.UtcNow, false);
        var maildrop = new GrainMaildrop(grain, session, open, shared, _ => { });
        var listing = (await maildrop.ListAllAsync(CancellationToken.None)).Value!;
        var lines = 0;
        var reply = Pop3Replies.UidlFollows with { StreamedLines = Count(listing.Listings) };
        var output = new DiscardingWriter();
        await Pop3ReplyWriter.WriteStreamedAsync(reply, output, () => { output.Clear(); return ValueTask.FromResult(true); }, 64 * 1024, CancellationToken.None);
        watch.Stop();
        var held = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(maildrop);
        await maildrop.ReleaseAsync();
        return (lines, watch.Elapsed, (double)held / Math.Max(1, open.MessageCount));

        async IAsyncEnumerable<string> Count(IAsyncEnumerable<Protocol.Backend.MessageListing> listings)
        {
            await foreach (var item in listings)
            {
                lines++;
                yield return line(item);
            }
        }
    }

    /// <summary>Takes the reply's bytes and drops them at each flush, as a socket would.</summary>
    private sealed class DiscardingWriter : IBufferWriter<byte>
    {
        private readonly ArrayBufferWriter<byte> _inner = new(128 * 1024);

        public void Clear() => _inner.ResetWrittenCount();

        public void Advance(int count) => _inner.Advance(count);

        public Memory<byte> GetMemory(int sizeHint = 0) => _inner.GetMemory(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => _inner.GetSpan(sizeHint);
    }
}
