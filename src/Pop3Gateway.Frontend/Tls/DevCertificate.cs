using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Frontend.Tls;

/// <summary>A self-signed certificate for localhost, for local use and tests only.</summary>
public static class DevCertificate
{
    /// <summary>How long the certificate is valid.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);

    public const string CertificateFileName = "dev-cert.pem";
    public const string KeyFileName = "dev-key.pem";

    /// <summary>
    /// Writes <c>dev-cert.pem</c> and <c>dev-key.pem</c> into <paramref name="directory"/> (created 0700), both
    /// created 0600; returns their paths. An existing key is replaced only when <paramref name="overwrite"/> is set.
    /// </summary>
    /// <exception cref="KeyExistsException">The key or certificate exists and <paramref name="overwrite"/> is false.</exception>
    public static async Task<(string CertificatePath, string KeyPath)> WriteAsync(
        string directory, bool overwrite, CancellationToken cancellationToken, string hostName = "localhost")
    {
        var certificatePath = Path.GetFullPath(Path.Combine(directory, CertificateFileName));
        var keyPath = Path.GetFullPath(Path.Combine(directory, KeyFileName));
        if (!overwrite && (File.Exists(keyPath) || File.Exists(certificatePath)))
        {
            throw new KeyExistsException(File.Exists(keyPath) ? keyPath : certificatePath);
        }
        PrivateFiles.CreateDirectory(directory);
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

        // Replaced files are removed first, so the new ones are created 0600 rather than keeping an old mode.
        File.Delete(keyPath);
        File.Delete(certificatePath);
        await PrivateFiles.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n", cancellationToken);
        await PrivateFiles.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem() + "\n", cancellationToken);
        return (certificatePath, keyPath);
    }
}

/// <summary>A key or certificate file is already there and replacing it was not asked for.</summary>
public sealed class KeyExistsException(string path) : IOException($"'{path}' exists")
{
    public string Path { get; } = path;
}
