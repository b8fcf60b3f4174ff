using System.Diagnostics;
using System.Diagnostics.Metrics;
using Pop3Gateway.Abstractions.Telemetry;
using Pop3Gateway.Protocol.Lmtp;

namespace Pop3Gateway.Frontend.Lmtp;

/// <summary>LMTP instruments (meter <see cref="TelemetryNames.Meter"/>) and the span of each received message.</summary>
internal static class LmtpTelemetry
{
    private static readonly Meter Meter = new(TelemetryNames.Meter);

    private static readonly ActivitySource Source = new(TelemetryNames.ActivitySource);

    /// <summary>Per-recipient outcomes after DATA, tagged <c>outcome</c> with the reply's enhanced status code.</summary>
    public static readonly Counter<long> Deliveries =
        Meter.CreateCounter<long>("lmtp.deliveries", "{recipient}", "LMTP recipients answered after DATA, by enhanced status code");

    public static readonly Counter<long> BytesReceived =
        Meter.CreateCounter<long>("lmtp.bytes.received", "By", "Message octets received over LMTP (after dot-unstuffing)");

    public static Activity? StartMessage(int recipients)
    {
        var activity = Source.StartActivity("lmtp.message", ActivityKind.Server);
        activity?.SetTag("lmtp.recipients", recipients);
        return activity;
    }

    public static void Record(IReadOnlyList<LmtpReply> replies, long size)
    {
        BytesReceived.Add(size);
        foreach (var reply in replies)
        {
            Deliveries.Add(1, new KeyValuePair<string, object?>("outcome", reply.Enhanced ?? reply.Code.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }
}
