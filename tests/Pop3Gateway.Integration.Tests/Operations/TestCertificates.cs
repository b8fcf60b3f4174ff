using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pop3Gateway.Integration.Tests.Operations;

/// <summary>Self-signed server certificates for 127.0.0.1, as PEM text, made in-process.</summary>
public static class TestCertificates
{
    public sealed record Pair(string CertificatePem, string KeyPem, string Thumbprint, DateTimeOffset NotAfter);

    public static Pair Create(string subject, TimeSpan lifetime)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.Add(lifetime));
        return new Pair(certificate.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem() + "\n",
            certificate.GetCertHashString(), new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));
    }

    /// <summary>The certificate a TLS handshake showed, from <c>openssl s_client</c>'s output.</summary>
    public static X509Certificate2? FromSClientOutput(string stdout)
    {
        const string begin = "-----BEGIN CERTIFICATE-----";
        const string end = "-----END CERTIFICATE-----";
        var start = stdout.IndexOf(begin, StringComparison.Ordinal);
        var stop = start < 0 ? -1 : stdout.IndexOf(end, start, StringComparison.Ordinal);
        return stop < 0 ? null : X509Certificate2.CreateFromPem(stdout.AsSpan(start, stop + end.Length - start));
    }
}
