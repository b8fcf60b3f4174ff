using Pop3Gateway.Abstractions.Configuration;

namespace Pop3Gateway.Frontend.Shutdown;

/// <summary>Configuration section <c>Shutdown</c>: what SIGTERM gives live sessions.</summary>
public sealed class ShutdownOptions
{
    public const string Section = "Shutdown";

    /// <summary>
    /// How long live sessions may go on after SIGTERM (a QUIT inside it commits); then they are closed
    /// without committing. Kubernetes' default grace period is 30 s, and leaving the cluster needs a few more.
    /// </summary>
    [NotNegative]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>Time after the drain for releasing leases, deactivating grains and leaving the cluster.</summary>
    public static readonly TimeSpan LeaveClusterTime = TimeSpan.FromSeconds(20);

    /// <summary>The host's whole shutdown budget; the pod's grace period must exceed it.</summary>
    public TimeSpan HostShutdownTimeout => DrainTimeout + LeaveClusterTime;
}
