using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace Pop3Gateway.Host.Serve;

/// <summary>
/// systemd's <c>Type=notify</c>: <c>READY=1</c> once every listener is up, <c>STOPPING=1</c> when shutdown starts,
/// sent to <c>NOTIFY_SOCKET</c>. Unlike <c>AddSystemd()</c>, this keys on <c>NOTIFY_SOCKET</c> itself (systemd sets it
/// for a notify service whatever runs in between, e.g. a wrapper script) and leaves the console format to
/// <c>Logging:Format</c>. Without the variable nothing changes.
/// </summary>
internal static class SystemdNotify
{
    public const string SocketVariable = "NOTIFY_SOCKET";

    public static void Add(IServiceCollection services)
    {
        if (!SystemdHelpers.IsSystemdService() && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(SocketVariable)))
        {
            return;
        }
        services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
        services.AddSingleton<IHostLifetime, SystemdLifetime>();
    }
}
