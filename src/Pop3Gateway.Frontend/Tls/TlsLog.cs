using Microsoft.Extensions.Logging;

namespace Pop3Gateway.Frontend.Tls;

/// <summary>Log messages of the server certificate; event ids 1300–1309 are stable.</summary>
internal static partial class TlsLog
{
    [LoggerMessage(EventId = 1300, Level = LogLevel.Information,
        Message = "TLS certificate reloaded from {CertificatePath}: subject {Subject}, serial {SerialNumber}, expires {NotAfter:O}")]
    public static partial void CertificateReloaded(ILogger logger, string certificatePath, string subject, string serialNumber, DateTime notAfter);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Error,
        Message = "TLS certificate files at {CertificatePath} changed but do not load; still serving serial {SerialNumber}")]
    public static partial void CertificateReloadFailed(ILogger logger, string certificatePath, string serialNumber, Exception exception);
}
