using Pop3Gateway.Cluster.Tests.Load;

namespace Pop3Gateway.Cluster.Tests.Infrastructure;

/// <summary>
/// One local cluster for all failure scenarios (bringing it up costs tens of seconds), with the
/// accounts of every scenario created in one import: each scenario has mailboxes of its own, so
/// its audit sees only its own load. The probe mailboxes are shared and never loaded.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>Mailboxes per scenario: enough that 12 workers rarely pick the same few.</summary>
    public const int MailboxesPerScenario = 48;

    /// <summary>
    /// Sessions per scenario that log in before the failure and stay idle across it: some land on the
    /// process that fails, so their leases show what a failure leaves locked and for how long.
    /// </summary>
    public const int HeldSessions = 6;

    /// <summary>Probe mailboxes of the recovery measurement.</summary>
    public const int ProbeMailboxes = 8;

    public static readonly string[] Scenarios = ["killsilo", "killfe", "termsilo", "termfe", "azurite", "partition", "pausesilo", "slowstore"];

    /// <summary>The front-end the partition scenario cuts off from the silos' gateways.</summary>
    public const string PartitionedFrontend = "frontend1";

    private static readonly string[] Silos = ["silo1", "silo2"];

    private const string Password = "LoadPassw0rd";

    /// <summary>Hashing some 450 passwords (PBKDF2) on a shared 2-core machine.</summary>
    private static readonly TimeSpan ImportTimeout = TimeSpan.FromSeconds(240);

    /// <summary>
    /// Relays are in place for the whole run, forwarding unless a scenario says otherwise: they must exist before the
    /// cluster (their ports are in its settings), and each asks the cluster for its upstream port when a connection comes.
    /// </summary>
    public ClusterFixture()
    {
        GatewayRelays = Silos.Select(silo => new TcpRelay(() => Cluster!.PortOf($"{silo}_gateway"))).ToList();
        StorageRelays = new[] { "azurite_blob", "azurite_queue", "azurite_table" }.Select(key => new TcpRelay(() => Cluster!.PortOf(key))).ToList();
        var storage = $"POP3GW__Storage__AzureConnectionString={AzuriteProcess.ConnectionStringFor(StorageRelays[0].Port, StorageRelays[1].Port, StorageRelays[2].Port)}";
        // Each silo advertises its relay as its gateway (an Orleans client must address a gateway exactly as the silo
        // advertises it), so every client reaches the gateways through the relays; the gateway listens on its own port.
        // Grain state and membership go through the storage relays; front-ends read bodies directly.
        Cluster = new LocalCluster(Silos.Select((silo, i) => (silo, i)).ToDictionary(
            s => s.silo,
            s => (IReadOnlyList<string>)[$"POP3GW__Orleans__GatewayPort={GatewayRelays[s.i].Port}", storage]));
    }

    public LocalCluster Cluster { get; }

    /// <summary>In front of each silo's gateway port, in the order of the silos; every Orleans client connects through them.</summary>
    public IReadOnlyList<TcpRelay> GatewayRelays { get; }

    /// <summary>Between the silos and Azurite's blob, queue and table ports.</summary>
    public IReadOnlyList<TcpRelay> StorageRelays { get; }

    public IReadOnlyList<LoadAccount> Probes { get; } =
        Enumerable.Range(1, ProbeMailboxes).Select(i => new LoadAccount($"probe{i:D2}", Password)).ToList();

    public IReadOnlyList<LoadAccount> AccountsOf(string scenario) =>
        Enumerable.Range(1, MailboxesPerScenario).Select(i => new LoadAccount($"{scenario}{i:D2}", Password)).ToList();

    /// <summary>The mailboxes of a scenario's idle held sessions (the load never uses them).</summary>
    public IReadOnlyList<LoadAccount> HeldAccountsOf(string scenario) =>
        Enumerable.Range(1, HeldSessions).Select(i => new LoadAccount($"{scenario}h{i}", Password)).ToList();

    public async Task InitializeAsync()
    {
        try
        {
            await Cluster.UpAsync();
            var lines = Scenarios.SelectMany(s => AccountsOf(s).Concat(HeldAccountsOf(s))).Concat(Probes).Select(a => $"{a.Login} {a.Password}");
            await Cluster.CliOkAsync(["account", "import", "-"], string.Join('\n', lines) + "\n", ImportTimeout);
        }
        catch
        {
            // xunit does not dispose a fixture whose initialization failed: stop the cluster here.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        foreach (var relay in GatewayRelays.Concat(StorageRelays))
        {
            await relay.DisposeAsync();
        }
    }
}
