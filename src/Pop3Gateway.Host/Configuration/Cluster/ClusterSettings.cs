using Microsoft.Extensions.Configuration;

namespace Pop3Gateway.Host.Configuration.Cluster;

/// <summary>
/// Configuration section <c>Cluster</c>: the certificates of Orleans' mutual TLS. Every silo and front-end
/// presents a node certificate signed by the cluster CA; the admin CLI presents an admin certificate signed
/// by it. Paths left empty mean the files <c>pop3gw serve</c> creates under <c>DATA/cluster</c> on first start
/// (one host); a cluster across hosts sets them to the files <c>pop3gw cert cluster</c> made.
/// </summary>
public sealed class ClusterSettings
{
    public const string Section = "Cluster";

    /// <summary>The folder under <c>Storage:DataDirectory</c> that holds the certificates made on first start.</summary>
    public const string Folder = "cluster";

    /// <summary>PEM certificate of the cluster CA: the only issuer whose certificates a node accepts.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>PEM certificate of this node (silo or front-end).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key of this node.</summary>
    public string? KeyPath { get; set; }

    /// <summary>PEM admin certificate the CLI presents.</summary>
    public string? AdminCertificatePath { get; set; }

    /// <summary>PEM private key of the admin certificate.</summary>
    public string? AdminKeyPath { get; set; }

    /// <summary>Whether any path is set: then the configured files are used and nothing is created.</summary>
    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(CaCertificatePath) || !string.IsNullOrWhiteSpace(CertificatePath) || !string.IsNullOrWhiteSpace(AdminCertificatePath);

    public static ClusterSettings From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<ClusterSettings>() ?? new ClusterSettings();

    /// <summary>The files in effect: the configured ones, or those under <c>DATA/cluster</c>.</summary>
    public ClusterFiles Files(StorageSettings storage)
    {
        var local = ClusterFiles.In(System.IO.Path.Combine(storage.FullDataDirectory, Folder));
        if (!IsConfigured)
        {
            return local;
        }
        return new ClusterFiles(
            Required(CaCertificatePath, "CaCertificatePath"),
            FullPath(CertificatePath) ?? local.NodeCertificate,
            FullPath(KeyPath) ?? local.NodeKey,
            FullPath(AdminCertificatePath) ?? local.AdminCertificate,
            FullPath(AdminKeyPath) ?? local.AdminKey);
    }

    private static string? FullPath(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : System.IO.Path.GetFullPath(value);

    private static string Required(string? value, string key) =>
        FullPath(value) ?? throw new InvalidOperationException($"Invalid configuration: {Section}:{key} is required once any {Section}: path is set");
}

/// <summary>Where the cluster CA, the node credential and the admin credential are.</summary>
public sealed record ClusterFiles(string CaCertificate, string NodeCertificate, string NodeKey, string AdminCertificate, string AdminKey)
{
    public const string CaCertificateName = "ca.pem";
    public const string CaKeyName = "ca-key.pem";
    public const string NodeCertificateName = "node.pem";
    public const string NodeKeyName = "node-key.pem";
    public const string AdminCertificateName = "admin.pem";
    public const string AdminKeyName = "admin-key.pem";

    public static ClusterFiles In(string directory) => new(
        System.IO.Path.Combine(directory, CaCertificateName),
        System.IO.Path.Combine(directory, NodeCertificateName),
        System.IO.Path.Combine(directory, NodeKeyName),
        System.IO.Path.Combine(directory, AdminCertificateName),
        System.IO.Path.Combine(directory, AdminKeyName));
}
