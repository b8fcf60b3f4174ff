using Pop3Gateway.Cluster.Tests.Infrastructure;

namespace Pop3Gateway.Cluster.Tests.Faults;

/// <summary>A signal that ends one process (SIGKILL, or SIGTERM and its drain); the process is started again after the downtime.</summary>
public sealed class SignalFault(LocalCluster cluster, string process, int signal, string description, TimeSpan downtime) : IFault
{
    private int _pid;

    public string Description => description;

    public TimeSpan Duration => downtime;

    public bool StopsClocks => false;

    public string Outcome => "";

    public string? Problem => null;

    public async Task BeginAsync() => _pid = await cluster.SignalAsync(process, signal);

    public Task InEffectAsync() => cluster.WaitForExitAsync(process, _pid);

    public Task EndAsync() => cluster.StartAsync(process);
}
