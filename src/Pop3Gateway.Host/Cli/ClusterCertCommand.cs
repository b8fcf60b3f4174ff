using Pop3Gateway.Host.Configuration;
using Pop3Gateway.Host.Configuration.Cluster;

namespace Pop3Gateway.Host.Cli;

/// <summary>
/// <c>pop3gw cert cluster</c>: a cluster CA with a node certificate and an admin certificate, under
/// <c>DATA/cluster</c>. Every silo and front-end is given the CA and the node pair; the admin pair stays with
/// whoever administers. An existing folder is replaced only with <c>--force</c>.
/// </summary>
public static class ClusterCertCommand
{
    public static int Run(IReadOnlyDictionary<string, string?> overrides, bool force, TextWriter stdout)
    {
        var storage = StorageSettings.From(GatewayConfiguration.Build(overrides));
        var directory = Path.Combine(storage.FullDataDirectory, ClusterSettings.Folder);
        if (Path.Exists(directory))
        {
            if (!force)
            {
                throw new UsageException($"'{directory}' exists already; pass --force to replace it with a new cluster CA (every node then needs the new files)");
            }
            // Removed first, so that the new keys are created owner-only rather than written into old files.
            Directory.Delete(directory, recursive: true);
        }
        var files = ClusterAuthority.Create(directory);
        stdout.WriteLine($"cluster CA, node and admin certificates in {directory} (files 0600)");
        stdout.WriteLine("Every silo and front-end:");
        stdout.WriteLine($"  export POP3GW__Cluster__CaCertificatePath={files.CaCertificate}");
        stdout.WriteLine($"  export POP3GW__Cluster__CertificatePath={files.NodeCertificate}");
        stdout.WriteLine($"  export POP3GW__Cluster__KeyPath={files.NodeKey}");
        stdout.WriteLine("The admin CLI:");
        stdout.WriteLine($"  export POP3GW__Cluster__CaCertificatePath={files.CaCertificate}");
        stdout.WriteLine($"  export POP3GW__Cluster__AdminCertificatePath={files.AdminCertificate}");
        stdout.WriteLine($"  export POP3GW__Cluster__AdminKeyPath={files.AdminKey}");
        stdout.WriteLine($"Keep {Path.Combine(directory, ClusterFiles.CaKeyName)} offline; it signs new certificates.");
        return CommandLine.Success;
    }
}
