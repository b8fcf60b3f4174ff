using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Pop3Gateway.Abstractions.Storage;
using Pop3Gateway.Grains.Security;

namespace Pop3Gateway.Host.Configuration.Cluster;

/// <summary>
/// Makes a cluster CA and the node and admin certificates it signs, as PEM files in one folder. The folder
/// is created 0700 and every file 0600 from the start, and filled under a temporary name that is renamed
/// into place, so a reader sees all of the files or none.
/// </summary>
public static class ClusterAuthority
{
    /// <summary>How long the CA is valid.</summary>
    public static readonly TimeSpan AuthorityLifetime = TimeSpan.FromDays(3650);

    /// <summary>How long the node and admin certificates of <c>pop3gw cert cluster</c> are valid; a new CA renews them.</summary>
    public static readonly TimeSpan CertificateLifetime = TimeSpan.FromDays(825);

    /// <summary>The TLS host name nodes ask for; identity is checked against the CA, not the name.</summary>
    public const string TargetHost = "pop3gw-cluster";

    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    /// <summary>
    /// Creates the files in <paramref name="directory"/>, which must not exist yet; returns where they are.
    /// <paramref name="certificateLifetime"/> defaults to <see cref="CertificateLifetime"/>.
    /// </summary>
    public static ClusterFiles Create(string directory, TimeSpan? certificateLifetime = null)
    {
        directory = Path.GetFullPath(directory);
        if (Path.Exists(directory))
        {
            throw new IOException($"'{directory}' exists already");
        }
        var parent = Path.GetDirectoryName(directory)!;
        // The data directory too, when this is the first thing written there: owner-only like everything in it.
        PrivateFiles.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(directory)}-{Guid.NewGuid():N}");
        PrivateFiles.CreateDirectory(staging);
        try
        {
            WriteAll(staging, certificateLifetime ?? CertificateLifetime);
            Directory.Move(staging, directory);
        }
        catch
        {
            Directory.Delete(staging, recursive: true);
            throw;
        }
        return ClusterFiles.In(directory);
    }

    /// <summary>
    /// The files under <paramref name="directory"/>, created on first use (another process may win the race),
    /// with certificates as long-lived as the CA: nobody renews the credential of a single host.
    /// </summary>
    public static ClusterFiles EnsureCreated(string directory)
    {
        var files = ClusterFiles.In(directory);
        if (File.Exists(files.CaCertificate))
        {
            return files;
        }
        try
        {
            return Create(directory, AuthorityLifetime);
        }
        catch (IOException) when (File.Exists(files.CaCertificate))
        {
            return files;
        }
    }

    private static void WriteAll(string directory, TimeSpan lifetime)
    {
        using var authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UtcNow;
        var request = new CertificateRequest("CN=pop3gw cluster CA, O=pop3gw", authorityKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var authority = request.CreateSelfSigned(now.AddMinutes(-5), now.Add(AuthorityLifetime));
        Write(directory, ClusterFiles.CaCertificateName, authority.ExportCertificatePem());
        Write(directory, ClusterFiles.CaKeyName, authorityKey.ExportPkcs8PrivateKeyPem());
        Issue(directory, authority, $"CN=node, OU={AdminRoles.NodeUnit}, O=pop3gw", ClusterFiles.NodeCertificateName, ClusterFiles.NodeKeyName, lifetime);
        Issue(directory, authority, $"CN=admin, OU={AdminRoles.AdminUnit}, O=pop3gw", ClusterFiles.AdminCertificateName, ClusterFiles.AdminKeyName, lifetime);
    }

    private static void Issue(string directory, X509Certificate2 authority, string subject, string certificateName, string keyName, TimeSpan lifetime)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuthentication, ClientAuthentication], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(TargetHost);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        // Never past the CA's own end of validity.
        var notAfter = new[] { now.Add(lifetime), new DateTimeOffset(authority.NotAfter.ToUniversalTime()) }.Min();
        using var certificate = request.Create(authority, now.AddMinutes(-5), notAfter, serial);
        Write(directory, certificateName, certificate.ExportCertificatePem());
        Write(directory, keyName, key.ExportPkcs8PrivateKeyPem());
    }

    private static void Write(string directory, string name, string pem)
    {
        using var writer = new StreamWriter(PrivateFiles.CreateNew(Path.Combine(directory, name)));
        writer.Write(pem);
        writer.Write('\n');
    }
}
