using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using Orleans.Storage;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;
using Pop3Gateway.Bench.DirectoryScaling;
using Pop3Gateway.Bench.IndexScaling;
using Pop3Gateway.Grains;
using Pop3Gateway.Storage.Embedded;
using Pop3Gateway.Testing;

// Usage: DirectoryScaling [--shards-only] [SIZE...]   (embedded store; default sizes 0 100000 1000000)
// For each size, the account directory holding SIZE logins, in the old layout (one record) and in shards:
// the directory step of `account import` that fills it, then `account add`'s directory write, then list pages.
// --shards-only leaves out the old layout (its import and adds take minutes at a million).
var shardsOnly = args.Contains("--shards-only");
var sizeArgs = args.Where(a => a != "--shards-only").ToArray();
var sizes = sizeArgs.Length > 0 ? sizeArgs.Select(int.Parse).ToArray() : [0, 100_000, 1_000_000];
const string InnerStorage = "inner";
const int AddCount = 31;
const int ImportBatch = 5000;
var meter = new WriteMeter();
var dataDirectory = Path.Combine(Path.GetTempPath(), "pop3gw-dirbench-" + Guid.NewGuid().ToString("N"));
var run = Guid.NewGuid().ToString("N")[..8];

var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
var ports = FreePorts.Allocate(2);
// The grains' storage is the embedded store behind the byte meter.
builder.UseOrleans(silo => silo
    .UseLocalhostClustering(siloPort: ports[0], gatewayPort: ports[1])
    .AddEmbeddedGrainStorage(InnerStorage, o => o.DataDirectory = dataDirectory)
    .Services.AddPop3Grains()
    .AddKeyedSingleton<IGrainStorage>(StorageNames.Mailboxes, (services, _) => new CountingGrainStorage(
        services.GetRequiredKeyedService<IGrainStorage>(InnerStorage), services.GetRequiredService<Serializer>(), meter)));
using var host = builder.Build();
await host.StartAsync();
var grains = host.Services.GetRequiredService<IGrainFactory>();

Console.WriteLine($"embedded store; {AccountDirectoryShards.Count} shards; {AddCount} adds per row; pages of {IAccountDirectoryGrain.MaxPageSize}");
Console.WriteLine($"{"layout",-7} {"accounts",9} {"import s",8} {"add ms p50",10} {"add ms p90",10} {"B/add",11} {"1st page ms",11} {"page ms p50",11} {"prefix ms",9}");
// A small directory of each layout first, not printed: the first calls pay for JIT compilation.
foreach (var (size, print) in sizes.Select(size => (size, true)).Prepend((1_000, false)))
{
    await Measure(print ? $"bench{run}-{size}" : $"warmup{run}", size, print);
}
await host.StopAsync();
// The warm-up alone writes state files, so the directory exists.
Directory.Delete(dataDirectory, recursive: true);
return 0;

async Task Measure(string key, int size, bool print)
{
    var logins = Enumerable.Range(0, size).Select(i => $"user{i:D7}").ToArray();
    var single = grains.GetGrain<ISingleRecordDirectoryGrain>("old-" + key);
    var sharded = grains.GetGrain<IAccountDirectoryGrain>("new-" + key);

    // The old import: batches in file order, one after another, each rewriting the whole record.
    var oldImport = 0.0;
    (double P50, double P90, long Bytes) oldAdds = default;
    (double First, double P50, double Prefix) oldPages = default;
    if (!shardsOnly)
    {
        oldImport = await Timed(async () =>
        {
            foreach (var batch in logins.Chunk(ImportBatch))
            {
                await single.AddMany(batch);
            }
        });
        oldAdds = await Adds(single.Add, "old");
        oldPages = await Pages(single.Page, size);
    }

    // The new import, as `account import` sends it: batches ordered by shard, four calls in flight.
    var newImport = await Timed(() => Parallel.ForEachAsync(
        logins.OrderBy(AccountDirectoryShards.IndexOf).Chunk(ImportBatch),
        new ParallelOptions { MaxDegreeOfParallelism = 4 },
        async (batch, _) => await sharded.AddMany(batch)));
    var newAdds = await Adds(sharded.Add, "new");
    var newPages = await Pages(sharded.Page, size);

    if (print)
    {
        if (!shardsOnly)
        {
            Row("single", size, oldImport, oldAdds, oldPages);
        }
        Row("sharded", size, newImport, newAdds, newPages);
    }
}

// Each add timed alone, with the bytes it made the store write.
async Task<(double P50, double P90, long Bytes)> Adds(Func<string, Task> add, string layout)
{
    var times = new List<double>(AddCount);
    long bytes = 0;
    for (var i = 0; i < AddCount; i++)
    {
        var before = meter.Bytes;
        times.Add(await Timed(() => add($"added{i:D3}-{layout}{run}")));
        bytes += meter.Bytes - before;
    }
    times.Sort();
    return (times[AddCount / 2], times[AddCount * 9 / 10], bytes / AddCount);
}

// The first page after every activation ended (the directory loads from storage), then five from the middle,
// then a prefix matching a thousand logins.
async Task<(double First, double P50, double Prefix)> Pages(Func<string?, string?, int, Task<LoginPage>> page, int size)
{
    await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
    var first = await Timed(() => page(null, null, IAccountDirectoryGrain.MaxPageSize));
    var middle = new List<double>();
    for (var i = 0; i < 5; i++)
    {
        middle.Add(await Timed(() => page(null, $"user{size / 2 + i * 1000:D7}", IAccountDirectoryGrain.MaxPageSize)));
    }
    middle.Sort();
    var prefix = await Timed(() => page($"user{size / 2 / 1000:D4}", null, IAccountDirectoryGrain.MaxPageSize));
    return (first, middle[2], prefix);
}

void Row(string layout, int size, double import, (double P50, double P90, long Bytes) adds, (double First, double P50, double Prefix) pages) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{layout,-7} {size,9:N0} {import / 1000,8:F1} {adds.P50,10:F2} {adds.P90,10:F2} {adds.Bytes,11:N0} {pages.First,11:F1} {pages.P50,11:F1} {pages.Prefix,9:F1}"));

static async Task<double> Timed(Func<Task> action)
{
    var watch = Stopwatch.StartNew();
    await action();
    return watch.Elapsed.TotalMilliseconds;
}
