using Pop3Gateway.Frontend.Tls;
using Pop3Gateway.Host.Configuration;

namespace Pop3Gateway.Host.Cli;

/// <summary><c>pop3gw cert dev</c>: a self-signed certificate for localhost under the data directory, for local use.</summary>
public static class CertCommand
{
    /// <summary>Folder under <c>Storage:DataDirectory</c> that holds the development certificate.</summary>
    public const string Folder = "tls";

    /// <summary>Writes the certificate and its key (0600); an existing key is replaced only with <c>--force</c>.</summary>
    public static async Task<int> DevAsync(IReadOnlyDictionary<string, string?> overrides, bool force, TextWriter stdout, CancellationToken cancellationToken)
    {
        var storage = StorageSettings.From(GatewayConfiguration.Build(overrides));
        string certificate, key;
        try
        {
            (certificate, key) = await DevCertificate.WriteAsync(
                Path.Combine(storage.FullDataDirectory, Folder), force, cancellationToken);
        }
        catch (KeyExistsException e)
        {
            throw new UsageException($"{e.Path} exists; pass --force to replace the key and certificate");
        }
        stdout.WriteLine($"certificate: {certificate}");
        stdout.WriteLine($"key:         {key}");
        stdout.WriteLine("Self-signed for localhost, 127.0.0.1 and ::1; for local use only. To use it:");
        stdout.WriteLine($"  export POP3GW__Tls__CertificatePath={certificate}");
        stdout.WriteLine($"  export POP3GW__Tls__KeyPath={key}");
        return CommandLine.Success;
    }
}
