using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pop3Gateway.Frontend.Tls;

/// <summary>A self-signed certificate for localhost, for local use and tests only.</summary>
public static class DevCertificate
{
    /// <summary>How long the certificate is valid.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);

    public const string CertificateFileName = "dev-cert.pem";
    public const string KeyFileName = "dev-key.pem";

    /// <summary>Writes <c>dev-cert.pem</c> and <c>dev-key.pem</c> into <paramref name="directory"/>; returns their paths.</summary>
    public static (string CertificatePath, string KeyPath) Write(string directory, string hostName = "localhost")
    {
        Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={hostName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(hostName);
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.Add(Lifetime));

        var certificatePath = Path.GetFullPath(Path.Combine(directory, CertificateFileName));
        var keyPath = Path.GetFullPath(Path.Combine(directory, KeyFileName));
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return (certificatePath, keyPath);
    }
}
