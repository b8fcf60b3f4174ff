using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Bench.IndexScaling;
using Pop3Gateway.Grains;
using Pop3Gateway.Grains.Mailboxes;
using Pop3Gateway.Abstractions.Storage;
using Pop3Gateway.Storage.Azure;
using Pop3Gateway.Storage.Embedded;
using Pop3Gateway.Testing;

// Usage: IndexScaling embedded|azure [SIZE...]
// Azure reads the connection string from POP3GW_BENCH_AZURE (default UseDevelopmentStorage=true).
var profile = args.Length > 0 ? args[0] : "embedded";
var sizes = args.Length > 1 ? args[1..].Select(int.Parse).ToArray() : [1_000, 10_000, 100_000];
const string InnerStorage = "inner";
var meter = new WriteMeter();
var dataDirectory = Path.Combine(Path.GetTempPath(), "pop3gw-bench-" + Guid.NewGuid().ToString("N"));
var run = Guid.NewGuid().ToString("N")[..8];
var azure = new AzureStorageOptions
{
    ConnectionString = Environment.GetEnvironmentVariable("POP3GW_BENCH_AZURE") ?? "UseDevelopmentStorage=true",
    BlobContainer = $"bench{run}-messages",
    IndexContainer = $"bench{run}-index",
    StateContainer = $"bench{run}-state",
};

var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
var ports = FreePorts.Allocate(2);
builder.UseOrleans(silo =>
{
    silo.UseLocalhostClustering(siloPort: ports[0], gatewayPort: ports[1]);
    IMailboxSegmentStore segments;
    if (profile == "azure")
    {
        silo.AddAzureGrainStorage(InnerStorage, azure);
        segments = new AzureSegmentStore(AzureClients.Blobs(azure), azure);
        silo.Services.AddAzureBodyStore(azure);
    }
    else
    {
        silo.AddEmbeddedGrainStorage(InnerStorage, o => o.DataDirectory = dataDirectory);
        segments = new EmbeddedSegmentStore(Options.Create(new EmbeddedStorageOptions { DataDirectory = dataDirectory }));
        silo.Services.AddEmbeddedBodyStore(o => o.DataDirectory = dataDirectory);
    }
    silo.Services.AddSingleton<IMailboxSegmentStore>(new CountingSegmentStore(segments, meter));
    silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Mailboxes, (sp, _) =>
        new CountingGrainStorage(sp.GetRequiredKeyedService<IGrainStorage>(InnerStorage), sp.GetRequiredService<Serializer>(), meter));
    silo.Services.AddPop3Grains();
});
using var host = builder.Build();
await host.StartAsync();
var grains = host.Services.GetRequiredService<IGrainFactory>();
var bodies = host.Services.GetRequiredService<IBodyStore>();
var storage = host.Services.GetRequiredKeyedService<IGrainStorage>(InnerStorage);
var segmentStore = host.Services.GetRequiredService<IMailboxSegmentStore>();

Console.WriteLine($"profile {profile}; index segments of {MailboxIndexLimits.SegmentCapacity} entries, header tail of {MailboxIndexLimits.TailCapacity}");
Console.WriteLine($"{"messages",9} {"fill s",7} {"deliver ms (avg/max)",21} {"B/deliver",9} {"login ms",13} {"UIDL ms",8} {"UIDL lines/s",12} {"LIST ms",8} {"FE B/msg",8} {"QUIT(1 del) ms",14} {"B/QUIT",8}");
// A small mailbox first, not printed: the first calls pay for JIT compilation and connections.
await Measure("warmup", 100, print: false);
foreach (var size in sizes)
{
    await Measure($"bench{run}-{size}", size, print: true);
}
// Silo and front-end share this process: its peak resident memory bounds both.
var peak = File.Exists("/proc/self/status")
    ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]
    : null;
Console.WriteLine($"peak RSS of the process (silo and front-end): {(peak is null ? "unknown" : $"{long.Parse(peak) / 1024:N0} MB")}");
await host.StopAsync();
if (Directory.Exists(dataDirectory))
{
    Directory.Delete(dataDirectory, recursive: true);
}
return 0;

async Task Measure(string mailbox, int size, bool print)
{
    var fill = Stopwatch.StartNew();
    await Fill(mailbox, size);
    fill.Stop();
    var grain = grains.GetGrain<IMailboxGrain>(mailbox);

    // Login on a fresh activation: the lease, the totals STAT answers from, and the first piece of the snapshot.
    var login = Stopwatch.StartNew();
    var lease = new SessionLease(Guid.NewGuid(), "bench");
    var open = await grain.OpenSession(lease, LockPolicy.Exclusive);
    login.Stop();
    Check(open.Status == MailboxStatus.Ok && open.MessageCount == size, $"login saw {open.MessageCount} of {size}");

    // UIDL: the front-end's maildrop reads the further pieces and writes every line, as the connection would.
    var (listed, uidl, heapPerMessage) = await FrontendListing.UidlAsync(grains, bodies, mailbox, lease, open);
    Check(listed == size, $"UIDL listed {listed} of {size}");

    // LIST the same way, in a session of its own (the listing released the first).
    var listLease = new SessionLease(Guid.NewGuid(), "bench");
    var listOpen = await grain.OpenSession(listLease, LockPolicy.Exclusive);
    var (sized, list, _) = await FrontendListing.ListAsync(grains, bodies, mailbox, listLease, listOpen);
    Check(sized == size, $"LIST listed {sized} of {size}");

    // Deliveries: bodies written beforehand, the timed part is the index update.
    const int Deliveries = 200;
    var times = new List<double>(Deliveries);
    var deliveredBytes = 0L;
    for (var i = 0; i < Deliveries; i++)
    {
        var body = await bodies.WriteAsync(mailbox, new MemoryStream(Encoding.ASCII.GetBytes($"Subject: bench {i}\r\n\r\nhello\r\n")), CancellationToken.None);
        var before = meter.Bytes;
        var watch = Stopwatch.StartNew();
        var result = await grain.Deliver(new DeliveryRequest(body.BodyId, body.Size, null));
        times.Add(watch.Elapsed.TotalMilliseconds);
        deliveredBytes += meter.Bytes - before;
        Check(result.Status == MailboxStatus.Ok, $"delivery failed: {result.Error}");
    }

    // QUIT committing one deletion (message 1: in the first segment).
    var quitLease = new SessionLease(Guid.NewGuid(), "bench");
    await grain.OpenSession(quitLease, LockPolicy.Exclusive);
    var quitBytes = meter.Bytes;
    var quit = Stopwatch.StartNew();
    var commit = await grain.CommitMarks(quitLease.SessionId, MessageMarks.Of(1));
    quit.Stop();
    quitBytes = meter.Bytes - quitBytes;
    Check(commit.Status == MailboxStatus.Ok && commit.Deleted == 1, $"commit {commit}");

    if (!print)
    {
        return;
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{size,9:N0} {fill.Elapsed.TotalSeconds,7:F1} {times.Average(),10:F2} / {times.Max(),8:F2} {deliveredBytes / Deliveries,9:N0} {login.Elapsed.TotalMilliseconds,13:F1} {uidl.TotalMilliseconds,8:F1} {size / uidl.TotalSeconds,12:N0} {list.TotalMilliseconds,8:F1} {heapPerMessage,8:F2} {quit.Elapsed.TotalMilliseconds,14:F1} {quitBytes,8:N0}"));
}

// Writes the index of a mailbox of `size` messages straight into storage: full segments and a
// header, as the grain would have left them. Filler entries name no stored body (the index cost is
// what is measured; the bodies of the timed deliveries are real).
async Task Fill(string mailbox, int size)
{
    var segmentsRefs = new List<SegmentRef>();
    for (var start = 0; start < size; start += MailboxIndexLimits.SegmentCapacity)
    {
        var entries = Enumerable.Range(start, Math.Min(MailboxIndexLimits.SegmentCapacity, size - start))
            .Select(i => new MessageEntry($"fill{i:D8}{run}", 2_000 + (i % 1_000), $"F{i:D8}{run}"))
            .ToArray();
        var name = BodyIds.NewId(TimeProvider.System);
        await segmentStore.WriteAsync(mailbox, name, SegmentCodec.Encode(entries), CancellationToken.None);
        segmentsRefs.Add(new SegmentRef(name, entries.Length, entries.Sum(e => e.Size)));
    }
    var directory = BodyIds.NewId(TimeProvider.System);
    await segmentStore.WriteAsync(mailbox, directory, SegmentCodec.EncodeDirectory(segmentsRefs), CancellationToken.None);
    var header = new MailboxState
    {
        Exists = true,
        MessageCount = size,
        Octets = segmentsRefs.Sum(s => s.Octets),
        NextSequence = size,
        Directory = directory,
    };
    var grainId = grains.GetGrain<IMailboxGrain>(mailbox).GetGrainId();
    await storage.WriteStateAsync("mailbox", grainId, new GrainState<MailboxState>(header));
}

static void Check(bool condition, string message)
{
    if (!condition)
    {
        throw new InvalidOperationException(message);
    }
}
