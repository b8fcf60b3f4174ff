using Pop3Gateway.Abstractions.Configuration;

namespace Pop3Gateway.Frontend.Tls;

/// <summary>The server certificate (configuration section <c>Tls</c>). Without one, the TLS port is off and STLS is not offered.</summary>
public sealed class TlsOptions
{
    public const string Section = "Tls";

    /// <summary>A PEM certificate (chain) with its key in <see cref="KeyPath"/>, or a PFX/PKCS#12 file.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key for a PEM certificate; empty when the PEM file holds the key too.</summary>
    public string? KeyPath { get; set; }

    /// <summary>Password of a PFX file, or of an encrypted PEM key.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>
    /// How often the certificate and key files are checked for a replacement (default 30 s); a replaced pair
    /// serves new connections from the next check on, without a restart.
    /// </summary>
    [Positive]
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(30);
}
