using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;
using Pop3Gateway.Grains.Security;

namespace Pop3Gateway.Host.Configuration.Cluster;

/// <summary>
/// Mutual TLS on every Orleans connection: this process presents <see cref="Certificate"/> and accepts a peer
/// only if the peer presents a certificate the cluster CA signed, on the silo port and on the gateway port alike.
/// </summary>
public sealed class ClusterTls
{
    private ClusterTls(X509Certificate2 authority, X509Certificate2 certificate)
    {
        Authority = authority;
        Certificate = certificate;
    }

    /// <summary>The cluster CA, the one issuer trusted.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>This process's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// The node credential of <c>pop3gw serve</c>: the configured files, or those under <c>DATA/cluster</c>,
    /// made on first start.
    /// </summary>
    public static ClusterTls ForNode(ClusterSettings settings, StorageSettings storage)
    {
        try
        {
            return Node(settings.IsConfigured
                ? settings.Files(storage)
                : ClusterAuthority.EnsureCreated(Path.Combine(storage.FullDataDirectory, ClusterSettings.Folder)));
        }
        catch (ClusterCredentialException e)
        {
            throw new InvalidOperationException($"Invalid configuration: {e.Message}", e);
        }
    }

    /// <summary>The node credential in <paramref name="files"/>.</summary>
    public static ClusterTls Node(ClusterFiles files) => Load(files.CaCertificate, files.NodeCertificate, files.NodeKey, "node");

    /// <summary>The admin credential of the CLI; it must be an admin certificate.</summary>
    public static ClusterTls Admin(ClusterFiles files)
    {
        var tls = Load(files.CaCertificate, files.AdminCertificate, files.AdminKey, "admin");
        return AdminRoles.IsAdmin(tls.Certificate)
            ? tls
            : throw new ClusterCredentialException($"{files.AdminCertificate} is not an admin certificate (OU={AdminRoles.AdminUnit})");
    }

    public void Apply(ISiloBuilder silo) => silo.UseTls(Certificate, Configure);

    public void Apply(IClientBuilder client) => client.UseTls(Certificate, Configure);

    private void Configure(TlsOptions options)
    {
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        // The gateway port's default would let clients in without a certificate.
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.RemoteCertificateValidation = Accepts;
        options.OnAuthenticateAsClient = (_, client) => client.TargetHost = ClusterAuthority.TargetHost;
    }

    /// <summary>Accepts a peer whose certificate chains to the cluster CA; the system's roots count for nothing.</summary>
    private bool Accepts(X509Certificate2? remote, X509Chain? chain, SslPolicyErrors errors) =>
        remote is not null && AdminRoles.IsIssuedBy(remote, Authority);

    private static ClusterTls Load(string authorityPath, string certificatePath, string keyPath, string what)
    {
        try
        {
            var authority = X509Certificate2.CreateFromPem(File.ReadAllText(authorityPath));
            var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(certificatePath), File.ReadAllText(keyPath));
            if (!AdminRoles.IsIssuedBy(certificate, authority))
            {
                throw new ClusterCredentialException($"{certificatePath} is not signed by the cluster CA {authorityPath} (or has expired)");
            }
            return new ClusterTls(authority, certificate);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ClusterCredentialException($"cannot read the {what} credential: {e.Message} (run as the user that runs 'pop3gw serve')", e);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ClusterCredentialException(
                $"no {what} credential at {Path.GetDirectoryName(certificatePath)} (start 'pop3gw serve' once, or set the Cluster: paths)", e);
        }
        catch (CryptographicException e)
        {
            throw new ClusterCredentialException($"cannot load the {what} credential {certificatePath}: {e.Message}", e);
        }
    }
}

/// <summary>A cluster certificate or key that is missing, unreadable or not signed by the cluster CA.</summary>
public sealed class ClusterCredentialException(string message, Exception? inner = null) : Exception(message, inner);
