using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Pop3Gateway.Abstractions.Telemetry;

namespace Pop3Gateway.Frontend.Telemetry;

/// <summary>
/// The front-end's spans and instruments (meter <see cref="TelemetryNames.Meter"/>). Tags carry
/// command names, outcomes and mechanisms only: never a password, a body or an AUTH payload.
/// </summary>
public static class FrontendTelemetry
{
    public static readonly ActivitySource Source = new(TelemetryNames.ActivitySource);

    private static readonly Meter Meter = new(TelemetryNames.Meter);

    public static readonly UpDownCounter<long> SessionsActive =
        Meter.CreateUpDownCounter<long>("pop3.sessions.active", "{session}", "POP3 sessions open now");

    public static readonly Counter<long> SessionsOpened =
        Meter.CreateCounter<long>("pop3.sessions.opened", "{session}", "POP3 connections accepted");

    public static readonly Counter<long> Commands =
        Meter.CreateCounter<long>("pop3.commands", "{command}", "POP3 commands by command and outcome");

    /// <summary>
    /// Bucket bounds in seconds for command latency: a command takes from well under a millisecond (answered
    /// from the snapshot) to seconds (a failed login's delay). Without them the SDK's defaults, made for
    /// milliseconds, would put every command in the first bucket.
    /// </summary>
    private static readonly double[] CommandDurationBuckets =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    public static readonly Histogram<double> CommandDuration =
        Meter.CreateHistogram("pop3.command.duration", "s", "Time from a command line to its reply being written",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CommandDurationBuckets });

    public static readonly Counter<long> BytesSent =
        Meter.CreateCounter<long>("pop3.bytes.sent", "By", "Octets written to POP3 clients");

    public static readonly Counter<long> Logins =
        Meter.CreateCounter<long>("pop3.logins", "{login}", "POP3 login attempts by outcome and mechanism");

    public static readonly Counter<long> InUseRefusals =
        Meter.CreateCounter<long>("pop3.in_use.refusals", "{login}", "Logins refused with [IN-USE]");

    public static readonly Counter<long> StorageErrors =
        Meter.CreateCounter<long>("pop3.storage.errors", "{error}", "Cluster or storage calls that failed, by operation");

    public static readonly Counter<long> SecurityBans =
        Meter.CreateCounter<long>("pop3.security.bans", "{ban}", "Client addresses banned after repeated login failures");

    public static readonly Counter<long> SecurityDelays =
        Meter.CreateCounter<long>("pop3.security.delays", "{delay}", "Login failures answered after a brute-force delay");

    public static readonly Counter<long> LimitsRefused =
        Meter.CreateCounter<long>("pop3.limits.refused", "{connection}", "Connections refused by a connection limit, by limit");

    /// <summary>The server certificates in use in this process, each observed through its own callback.</summary>
    private static readonly ConcurrentDictionary<object, Func<Measurement<double>>> CertificatesInUse = new();

    /// <summary>Seconds until the server certificate in use expires (Prometheus <c>tls_certificate_expiry_seconds</c>), by subject.</summary>
    public static readonly ObservableGauge<double> CertificateExpiry =
        Meter.CreateObservableGauge("tls.certificate.expiry", () => CertificatesInUse.Values.Select(observe => observe()),
            "s", "Seconds until the server certificate in use expires");

    /// <summary>Adds a certificate to <see cref="CertificateExpiry"/> until the returned registration is disposed.</summary>
    public static IDisposable ObserveCertificateExpiry(Func<Measurement<double>> observe)
    {
        var registration = new CertificateRegistration();
        CertificatesInUse[registration] = observe;
        return registration;
    }

    public static void RecordCommand(string command, bool ok, TimeSpan elapsed)
    {
        var commandTag = new KeyValuePair<string, object?>("command", command);
        Commands.Add(1, commandTag, new KeyValuePair<string, object?>("outcome", ok ? "ok" : "err"));
        CommandDuration.Record(elapsed.TotalSeconds, commandTag);
    }

    public static void RecordLogin(string mechanism, string outcome) =>
        Logins.Add(1, new KeyValuePair<string, object?>("mechanism", mechanism), new KeyValuePair<string, object?>("outcome", outcome));

    private sealed class CertificateRegistration : IDisposable
    {
        public void Dispose() => CertificatesInUse.TryRemove(this, out _);
    }
}
