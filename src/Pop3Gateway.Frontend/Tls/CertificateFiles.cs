namespace Pop3Gateway.Frontend.Tls;

/// <summary>What tells that the configured certificate or key file was replaced: each file's write time and size.</summary>
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
        return file.Exists ? (file.LastWriteTimeUtc, file.Length) : (default, -1);
    }
}
