using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Pop3Gateway.Frontend.Tls;

/// <summary>Loads the configured server certificate.</summary>
public static class TlsCertificateLoader
{
    /// <summary>TLS 1.2 minimum (RFC 8314 section 4.1; RFC 8996 retired 1.0 and 1.1).</summary>
    public const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>The certificate with its private key, or null when none is configured.</summary>
    /// <exception cref="InvalidOperationException">The files are missing or unreadable; the message names the setting.</exception>
    public static X509Certificate2? Load(TlsOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            return null;
        }

        var path = options.CertificatePath;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Tls:CertificatePath '{path}' does not exist (invalid configuration)");
        }

        try
        {
            var extension = Path.GetExtension(path).ToLowerInvariant();
            if (extension is ".pfx" or ".p12")
            {
                return X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword);
            }

            var keyPath = string.IsNullOrWhiteSpace(options.KeyPath) ? null : options.KeyPath;
            var certificate = string.IsNullOrEmpty(options.CertificatePassword)
                ? X509Certificate2.CreateFromPemFile(path, keyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(path, options.CertificatePassword, keyPath);
            if (!certificate.HasPrivateKey)
            {
                throw new InvalidOperationException($"Tls:CertificatePath '{path}' has no private key; set Tls:KeyPath (invalid configuration)");
            }

            // A PEM key is ephemeral on some platforms; exporting to PKCS#12 makes it usable by SslStream everywhere.
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or ArgumentException)
        {
            throw new InvalidOperationException($"Tls:CertificatePath '{path}' could not be loaded: {e.Message} (invalid configuration)", e);
        }
    }
}
