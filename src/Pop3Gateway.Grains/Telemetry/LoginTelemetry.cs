using System.Diagnostics.Metrics;
using Pop3Gateway.Abstractions.Telemetry;

namespace Pop3Gateway.Grains.Telemetry;

/// <summary>
/// Instruments of the silo's login work (meter <see cref="TelemetryNames.Meter"/>): the wait lines in
/// front of password hashing and directory checks, tagged <c>queue</c> = <c>password</c> or <c>ldap</c>.
/// </summary>
public static class LoginTelemetry
{
    private static readonly Meter Meter = new(TelemetryNames.Meter);

    public static readonly UpDownCounter<long> QueueWaiting =
        Meter.CreateUpDownCounter<long>("login.queue.waiting", "{login}", "Logins waiting for a hashing or directory slot now");

    public static readonly Counter<long> QueueRefusals =
        Meter.CreateCounter<long>("login.queue.refusals", "{login}", "Logins refused with [SYS/TEMP] because the wait line was full");
}
