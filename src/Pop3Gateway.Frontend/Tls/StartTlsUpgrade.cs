using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Pop3Gateway.Frontend.Tls;

/// <summary>Turns a plaintext connection into a TLS one after STLS (RFC 2595 section 4).</summary>
internal static class StartTlsUpgrade
{
    /// <summary>Time allowed for the handshake.</summary>
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Negotiates TLS over <paramref name="transport"/> and returns pipes over the encrypted stream.
    /// The caller must already have dropped every plaintext byte it had read.
    /// </summary>
    public static async Task<(IDuplexPipe Transport, SslStream Stream)> UpgradeAsync(
        IDuplexPipe transport, X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(new DuplexPipeStream(transport), leaveInnerStreamOpen: false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(HandshakeTimeout);
        try
        {
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = certificate,
                EnabledSslProtocols = TlsCertificateLoader.Protocols,
                ClientCertificateRequired = false,
            }, timeout.Token);
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }

        var pipes = new DuplexPipe(PipeReader.Create(ssl, new StreamPipeReaderOptions(leaveOpen: true)),
            PipeWriter.Create(ssl, new StreamPipeWriterOptions(leaveOpen: true)));
        return (pipes, ssl);
    }

    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
