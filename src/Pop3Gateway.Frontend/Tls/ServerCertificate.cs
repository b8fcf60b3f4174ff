using System.Diagnostics.Metrics;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Pop3Gateway.Frontend.Telemetry;

namespace Pop3Gateway.Frontend.Tls;

/// <summary>
/// The server certificate in use now, for implicit TLS and STLS. <see cref="CertificateReloader"/> replaces it when
/// its files change; a connection takes the current one at its handshake, so open sessions keep theirs.
/// </summary>
public sealed class ServerCertificate : IDisposable
{
    private readonly TimeProvider _time;
    private readonly IDisposable _expiryGauge;
    private volatile Identity _current;

    public ServerCertificate(X509Certificate2 certificate, CertificateFiles.Stamp loadedFrom, TimeProvider time)
    {
        _time = time;
        _current = new Identity(certificate);
        LoadedFrom = loadedFrom;
        _expiryGauge = FrontendTelemetry.ObserveCertificateExpiry(ObserveExpiry);
    }

    /// <summary>The files' write times and sizes as they were just before the first certificate was read from them.</summary>
    public CertificateFiles.Stamp LoadedFrom { get; }

    public X509Certificate2 Current => _current.Certificate;

    /// <summary>The handshake options of <see cref="Current"/>, made once per certificate (so its chain is built once).</summary>
    public SslServerAuthenticationOptions ServerOptions => _current.Options;

    /// <summary>
    /// Serves <paramref name="certificate"/> to connections from now on. The one it replaces is not disposed:
    /// a handshake may still be using it.
    /// </summary>
    public void Replace(X509Certificate2 certificate) => _current = new Identity(certificate);

    /// <summary>The configured certificate, or null when none is configured.</summary>
    /// <exception cref="InvalidOperationException">The files do not load, or the reload interval is not positive; the message names the setting.</exception>
    public static ServerCertificate? Load(TlsOptions options, TimeProvider time)
    {
        if (options.ReloadInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"Tls:ReloadInterval '{options.ReloadInterval}' must be positive (invalid configuration)");
        }
        // Stamped before reading: a replacement written meanwhile differs from the stamp and is read at the next check.
        var stamp = CertificateFiles.StampOf(options);
        return TlsCertificateLoader.Load(options) is { } certificate ? new ServerCertificate(certificate, stamp, time) : null;
    }

    public void Dispose() => _expiryGauge.Dispose();

    private Measurement<double> ObserveExpiry()
    {
        var certificate = Current;
        var left = new DateTimeOffset(certificate.NotAfter.ToUniversalTime()) - _time.GetUtcNow();
        return new Measurement<double>(left.TotalSeconds, new KeyValuePair<string, object?>("tls.certificate.subject", certificate.Subject));
    }

    private sealed class Identity(X509Certificate2 certificate)
    {
        public X509Certificate2 Certificate { get; } = certificate;

        public SslServerAuthenticationOptions Options { get; } = new()
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(certificate, additionalCertificates: null),
            EnabledSslProtocols = TlsCertificateLoader.Protocols,
            ClientCertificateRequired = false,
        };
    }
}
