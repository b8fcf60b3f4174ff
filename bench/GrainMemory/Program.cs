using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;
using Pop3Gateway.Grains;
using Pop3Gateway.Grains.Accounts;
using Pop3Gateway.Storage.Embedded;
using Pop3Gateway.Testing;

// Usage: GrainMemory [MAILBOXES] [STORM] [MESSAGES]
// Memory of activated idle mailbox grains (MESSAGES each) with their account grains, then a login
// storm over the first STORM of them after a silo restart: cold (every login hashes) and warm.
var mailboxes = args.Length > 0 ? int.Parse(args[0]) : 10_000;
var storm = args.Length > 1 ? Math.Min(int.Parse(args[1]), mailboxes) : mailboxes;
var messages = args.Length > 2 ? int.Parse(args[2]) : 20;
const string Password = "bench-password";
const int Clients = 512;
// The state files go to memory where the machine has it: fsync costs are not what is measured here.
var root = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
var dataDirectory = Path.Combine(root, "pop3gw-grain-memory-" + Guid.NewGuid().ToString("N"));
var logins = Enumerable.Range(0, mailboxes).Select(i => $"mem{i:D6}").ToArray();

Console.WriteLine($"{mailboxes} mailboxes of {messages} messages, storm over {storm}; {Environment.ProcessorCount} cores; data in {root}");
var clock = Stopwatch.StartNew();
using (var host = await StartSilo())
{
    var grains = host.Services.GetRequiredService<IGrainFactory>();
    var bodies = host.Services.GetRequiredService<IBodyStore>();
    // One hash for all: provisioning with a ready hash keeps the set-up from costing 50 ms per account.
    var hash = PasswordHashText.Format(PasswordHasher.Hash(Password));
    await ForEach(logins, async login =>
    {
        var provisioned = await grains.GetGrain<IAccountGrain>(login).Provision(new ProvisionRequest(null, hash, []));
        Check(provisioned.IsOk, provisioned.Error);
        for (var m = 0; m < messages; m++)
        {
            using var text = new MemoryStream(Encoding.ASCII.GetBytes($"Subject: message {m}\r\n\r\nbody\r\n"));
            var body = await bodies.WriteAsync(login, text, CancellationToken.None);
            var delivered = await grains.GetGrain<IMailboxGrain>(login).Deliver(new DeliveryRequest(body.BodyId, body.Size, null));
            Check(delivered.Status == MailboxStatus.Ok, delivered.Status.ToString());
        }
    });
    Console.WriteLine($"set-up {clock.Elapsed.TotalSeconds:F0} s");
    await host.StopAsync();
}

using (var host = await StartSilo())
{
    var grains = host.Services.GetRequiredService<IGrainFactory>();
    var (heapBefore, setBefore) = Memory();
    await ForEach(logins, async login =>
    {
        Check(await grains.GetGrain<IAccountGrain>(login).Describe() is not null, login);
        Check((await grains.GetGrain<IMailboxGrain>(login).Describe()).Exists, login);
    });
    var (heapAfter, setAfter) = Memory();
    Console.WriteLine($"after restart, {mailboxes} mailbox + account grains activated: GC heap {(heapAfter - heapBefore) / mailboxes:N0} B per mailbox, "
        + $"working set {(setAfter - setBefore) / mailboxes:N0} B per mailbox (heap {heapBefore / 1_048_576:N0} -> {heapAfter / 1_048_576:N0} MiB)");

    await Storm(grains, "cold", logins[..storm]);
    await Storm(grains, "warm", logins[..storm]);
    await host.StopAsync();
}
Directory.Delete(dataDirectory, recursive: true);
return 0;

async Task<IHost> StartSilo()
{
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.ClearProviders();
    var ports = FreePorts.Allocate(2);
    builder.UseOrleans(silo =>
    {
        silo.UseLocalhostClustering(siloPort: ports[0], gatewayPort: ports[1]);
        silo.AddEmbeddedGrainStorage(StorageNames.Mailboxes, o => o.DataDirectory = dataDirectory);
        silo.Services.AddEmbeddedBodyStore(o => o.DataDirectory = dataDirectory);
        silo.Services.AddEmbeddedSegmentStore(o => o.DataDirectory = dataDirectory);
        silo.Services.AddPop3Grains();
    });
    var host = builder.Build();
    await host.StartAsync();
    return host;
}

// Every login once, as fast as the silo's hashing line lets it: a refused login retries 50 ms later, as a client would.
async Task Storm(IGrainFactory grains, string name, string[] who)
{
    long refusals = 0;
    var watch = Stopwatch.StartNew();
    await ForEach(who, async login =>
    {
        while (true)
        {
            var lease = new SessionLease(Guid.NewGuid(), "bench");
            var reply = await grains.GetGrain<IAccountGrain>(login).SignIn(Password, new LoginTarget(null, lease, LockPolicy.Exclusive));
            if (reply.Status == AuthStatus.Busy)
            {
                Interlocked.Increment(ref refusals);
                await Task.Delay(50);
                continue;
            }
            Check(reply.Status == AuthStatus.Ok && reply.Session?.Status == MailboxStatus.Ok, $"{login}: {reply.Status}");
            await grains.GetGrain<IMailboxGrain>(login).Release(lease.SessionId);
            return;
        }
    });
    var seconds = watch.Elapsed.TotalSeconds;
    Console.WriteLine($"storm {name}: {who.Length} logins in {seconds:F1} s, {who.Length / seconds:F0} logins/s, {refusals} refusals ([SYS/TEMP]) retried");
}

static async Task ForEach(string[] items, Func<string, Task> action) =>
    await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = Clients }, async (item, _) => await action(item));

static (long Heap, long WorkingSet) Memory()
{
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    using var process = Process.GetCurrentProcess();
    return (GC.GetTotalMemory(forceFullCollection: true), process.WorkingSet64);
}

static void Check(bool condition, string? what)
{
    if (!condition)
    {
        throw new InvalidOperationException(what);
    }
}
