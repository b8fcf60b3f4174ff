using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Pop3Bench;

/// <summary>
/// How the <c>full</c> and <c>login</c> clients connect: plaintext from 127.0.0.1 by default; with
/// <c>--sources BASE/COUNT</c> each session binds to the next of COUNT loopback source addresses from BASE
/// (so that the servers see clients they do not trust); with <c>--tls-cert PEM</c> implicit TLS 1.3 that
/// trusts exactly that certificate.
/// </summary>
public sealed class ClientSetup
{
    private readonly IPAddress[] _sources;
    private long _next = -1;

    private ClientSetup(IPAddress[] sources, X509Certificate2? certificate)
    {
        _sources = sources;
        Certificate = certificate;
    }

    public static ClientSetup Plain { get; } = new([], null);

    /// <summary>The pinned server certificate; null for plaintext.</summary>
    public X509Certificate2? Certificate { get; }

    public bool Tls => Certificate is not null;

    public int SourceCount => _sources.Length;

    /// <param name="sources"><c>--sources</c>, e.g. <c>127.1.0.1/1000</c>; null for none.</param>
    /// <param name="certificatePath"><c>--tls-cert</c>, a PEM certificate; null for plaintext.</param>
    public static ClientSetup Create(string? sources, string? certificatePath) =>
        new(sources is null ? [] : Sources(sources), certificatePath is null ? null : X509CertificateLoader.LoadCertificateFromFile(certificatePath));

    /// <summary>The source address of the next session; null to let the system choose.</summary>
    public IPAddress? NextSource() =>
        _sources.Length == 0 ? null : _sources[(int)(Interlocked.Increment(ref _next) % _sources.Length)];

    /// <summary>
    /// Options for one client thread, reused for all its sessions as a mail client reuses them: the same
    /// target host and options let .NET's TLS layer offer the session it cached (see <see cref="TlsHandshakeLog"/>).
    /// </summary>
    public SslClientAuthenticationOptions? NewTlsOptions()
    {
        if (Certificate is null)
        {
            return null;
        }
        var pinned = Certificate.RawData;
        return new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls13,
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(pinned),
        };
    }

    /// <summary>"127.1.0.1/1000": 1000 consecutive IPv4 addresses from 127.1.0.1, all in 127.0.0.0/8.</summary>
    private static IPAddress[] Sources(string spec)
    {
        var parts = spec.Split('/');
        var first = IPAddress.Parse(parts[0]).GetAddressBytes();
        var count = int.Parse(parts[1], CultureInfo.InvariantCulture);
        var start = (uint)first[0] << 24 | (uint)first[1] << 16 | (uint)first[2] << 8 | first[3];
        var result = new IPAddress[count];
        for (var i = 0; i < count; i++)
        {
            var value = start + (uint)i;
            if (value >> 24 != 127)
            {
                throw new ArgumentException($"--sources {spec} leaves 127.0.0.0/8");
            }
            result[i] = new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
        }
        return result;
    }
}
