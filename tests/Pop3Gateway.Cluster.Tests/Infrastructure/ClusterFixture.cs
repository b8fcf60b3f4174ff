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

    public static readonly string[] Scenarios = ["killsilo", "killfe", "termsilo", "termfe", "azurite"];

    private const string Password = "LoadPassw0rd";

    public LocalCluster Cluster { get; } = new();

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
            await Cluster.CliOkAsync(["account", "import", "-"], string.Join('\n', lines) + "\n");
        }
        catch
        {
            // xunit does not dispose a fixture whose initialization failed: stop the cluster here.
            await Cluster.DisposeAsync();
            throw;
        }
    }

    public Task DisposeAsync() => Cluster.DisposeAsync().AsTask();
}
