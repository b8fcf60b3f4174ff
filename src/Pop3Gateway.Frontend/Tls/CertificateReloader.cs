using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Pop3Gateway.Frontend.Tls;

/// <summary>
/// Checks the certificate and key files every <see cref="TlsOptions.ReloadInterval"/> and, when their write time
/// or size changed, loads them into the <see cref="ServerCertificate"/>. A replacement that does not load (half
/// written, unreadable, a key that does not match) leaves the old certificate in use and is logged once; the next
/// change to the files is tried again.
/// </summary>
public sealed class CertificateReloader(
    ServerCertificate certificate, TlsOptions options, TimeProvider time, ILogger<CertificateReloader> logger) : BackgroundService
{
    private CertificateFiles.Stamp _seen = certificate.LoadedFrom;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.ReloadInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Check();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Loads the files if they changed since the last check; says whether a new certificate is in use.</summary>
    public bool Check()
    {
        var stamp = CertificateFiles.StampOf(options);
        if (stamp == _seen)
        {
            return false;
        }
        _seen = stamp;
        try
        {
            var replacement = TlsCertificateLoader.Load(options)
                ?? throw new InvalidOperationException("Tls:CertificatePath is empty");
            certificate.Replace(replacement);
            TlsLog.CertificateReloaded(logger, options.CertificatePath!, replacement.Subject, replacement.SerialNumber, replacement.NotAfter.ToUniversalTime());
            return true;
        }
        catch (InvalidOperationException e)
        {
            TlsLog.CertificateReloadFailed(logger, options.CertificatePath!, certificate.Current.SerialNumber, e);
            return false;
        }
    }
}
