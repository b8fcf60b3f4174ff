using Microsoft.Extensions.Hosting;

namespace Pop3Gateway.Host.Management;

/// <summary>
/// What the health endpoints report: started once the host has started, ready while
/// started, not shutting down and the cluster answers.
/// </summary>
public sealed class Readiness
{
    private volatile bool _started;
    private volatile bool _stopping;

    public Readiness(IHostApplicationLifetime lifetime)
    {
        lifetime.ApplicationStarted.Register(() => _started = true);
        lifetime.ApplicationStopping.Register(() => _stopping = true);
    }

    public bool Started => _started;

    public bool Stopping => _stopping;

    public bool Ready => _started && !_stopping;
}
