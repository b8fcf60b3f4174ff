namespace Pop3Gateway.Frontend.Tls;

/// <summary>
/// What tells that the configured certificate or key file was replaced: each file's write time and size, read
/// through symbolic links (a Kubernetes Secret volume swaps a link to a new directory; certbot's <c>live/</c>
/// names are links), so that the files behind them count, not the links.
/// </summary>
public static class CertificateFiles
{
    /// <summary>The write times and sizes of the certificate and key files; a missing file counts as size -1.</summary>
    public readonly record struct Stamp(DateTime CertificateWritten, long CertificateSize, DateTime KeyWritten, long KeySize);

    public static Stamp StampOf(TlsOptions options)
    {
        var (certificateWritten, certificateSize) = Of(options.CertificatePath);
        var (keyWritten, keySize) = Of(options.KeyPath);
        return new Stamp(certificateWritten, certificateSize, keyWritten, keySize);
    }

    private static (DateTime Written, long Size) Of(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return (default, 0);
        }
        var file = new FileInfo(path);
        try
        {
            file = file.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? file;
        }
        catch (IOException)
        {
            // A link loop or a link being swapped right now: counts as a missing file until the next check.
            return (default, -1);
        }
        return file.Exists ? (file.LastWriteTimeUtc, file.Length) : (default, -1);
    }
}
