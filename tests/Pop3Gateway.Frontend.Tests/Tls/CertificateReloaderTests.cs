using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Pop3Gateway.Frontend.Telemetry;
using Pop3Gateway.Frontend.Tls;
using Pop3Gateway.Testing;

namespace Pop3Gateway.Frontend.Tests.Tls;

/// <summary>The server certificate's reload from its files (real PEM files in a temporary directory) and its expiry gauge.</summary>
public sealed class CertificateReloaderTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private readonly string _directory = Directory.CreateTempSubdirectory("pop3gw-reload-").FullName;
    private readonly string _hostName = $"reload-{Guid.NewGuid():N}.test";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly RecordingLogger _log = new();
    private readonly TlsOptions _options;

    public CertificateReloaderTests()
    {
        _options = new TlsOptions
        {
            CertificatePath = Path.Combine(_directory, DevCertificate.CertificateFileName),
            KeyPath = Path.Combine(_directory, DevCertificate.KeyFileName),
            ReloadInterval = Interval,
        };
    }

    [Fact]
    public async Task Check_FilesUnchanged_KeepsCertificateAndLogsNothing()
    {
        var (certificate, reloader) = await StartAsync();
        var served = certificate.Current;

        Assert.False(reloader.Check());

        Assert.Same(served, certificate.Current);
        Assert.Empty(_log.Entries);
    }

    [Fact]
    public async Task Check_PairReplaced_ServesNewCertificate()
    {
        var (certificate, reloader) = await StartAsync();
        var old = certificate.Current.GetCertHashString();

        var replacement = await WritePairAsync(_directory);

        Assert.True(reloader.Check());
        Assert.Equal(replacement, certificate.Current.GetCertHashString());
        Assert.NotEqual(old, replacement);
        Assert.Equal(1300, Assert.Single(_log.Entries).EventId);
    }

    /// <summary>
    /// A Kubernetes Secret volume: the configured names are links through <c>..data</c>, itself a link to the
    /// current version's directory; an update swaps only <c>..data</c>.
    /// </summary>
    [Fact]
    public async Task Check_SecretVolumeLinkSwapped_ServesNewCertificate()
    {
        var first = Directory.CreateDirectory(Path.Combine(_directory, "..v1")).FullName;
        var second = Directory.CreateDirectory(Path.Combine(_directory, "..v2")).FullName;
        var old = await WritePairAsync(first);
        foreach (var file in Directory.GetFiles(first))
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddHours(-1));
        }
        var data = Path.Combine(_directory, "..data");
        Directory.CreateSymbolicLink(data, first);
        var options = new TlsOptions
        {
            CertificatePath = Path.Combine(_directory, "tls.crt"),
            KeyPath = Path.Combine(_directory, "tls.key"),
            ReloadInterval = Interval,
        };
        File.CreateSymbolicLink(options.CertificatePath, Path.Combine(data, DevCertificate.CertificateFileName));
        File.CreateSymbolicLink(options.KeyPath, Path.Combine(data, DevCertificate.KeyFileName));
        var certificate = ServerCertificate.Load(options, _time) ?? throw new InvalidOperationException("no certificate");
        var reloader = new CertificateReloader(certificate, options, _time, _log);
        var replacement = await WritePairAsync(second);

        Assert.False(reloader.Check());
        Directory.Delete(data);
        Directory.CreateSymbolicLink(data, second);

        Assert.True(reloader.Check());
        Assert.Equal(replacement, certificate.Current.GetCertHashString());
        Assert.NotEqual(old, replacement);
    }

    [Fact]
    public async Task Check_KeyDoesNotMatch_KeepsOldLogsErrorOnceThenTakesFixedPair()
    {
        var (certificate, reloader) = await StartAsync();
        var served = certificate.Current;
        var other = Directory.CreateTempSubdirectory("pop3gw-reload-other-").FullName;
        var replacement = await WritePairAsync(other);

        File.Copy(Path.Combine(other, DevCertificate.CertificateFileName), _options.CertificatePath!, overwrite: true);

        Assert.False(reloader.Check());
        Assert.False(reloader.Check());
        Assert.Same(served, certificate.Current);
        var error = Assert.Single(_log.Entries);
        Assert.Equal((1301, LogLevel.Error), (error.EventId, error.Level));
        Assert.NotNull(error.Exception);

        File.Copy(Path.Combine(other, DevCertificate.KeyFileName), _options.KeyPath!, overwrite: true);

        Assert.True(reloader.Check());
        Assert.Equal(replacement, certificate.Current.GetCertHashString());
        Directory.Delete(other, recursive: true);
    }

    [Fact]
    public async Task Check_HalfWrittenCertificate_KeepsOldUntilComplete()
    {
        var (certificate, reloader) = await StartAsync();
        var served = certificate.Current;
        var pem = await File.ReadAllTextAsync(_options.CertificatePath!);

        await File.WriteAllTextAsync(_options.CertificatePath!, pem[..(pem.Length / 2)]);

        Assert.False(reloader.Check());
        Assert.Same(served, certificate.Current);
        Assert.Equal(1301, Assert.Single(_log.Entries).EventId);

        await File.WriteAllTextAsync(_options.CertificatePath!, pem);

        Assert.True(reloader.Check());
    }

    [Fact]
    public async Task ExecuteAsync_IntervalPasses_PicksUpReplacement()
    {
        var (certificate, reloader) = await StartAsync();
        await reloader.StartAsync(CancellationToken.None);
        var replacement = await WritePairAsync(_directory);

        _time.Advance(Interval);

        await Eventually.UntilAsync("the replacement to be served", TimeSpan.FromSeconds(10),
            () => Task.FromResult(certificate.Current.GetCertHashString() == replacement ? null : "old certificate"));
        await reloader.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task ExpiryGauge_CertificateInUse_SecondsUntilNotAfter()
    {
        var (certificate, _) = await StartAsync();
        var expected = (new DateTimeOffset(certificate.Current.NotAfter.ToUniversalTime()) - _time.GetUtcNow()).TotalSeconds;
        var seen = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument == FrontendTelemetry.CertificateExpiry)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            if (tags.ToArray().Contains(new KeyValuePair<string, object?>("tls.certificate.subject", $"CN={_hostName}")))
            {
                seen.Add(value);
            }
        });
        listener.Start();

        listener.RecordObservableInstruments();

        Assert.Equal(expected, Assert.Single(seen), precision: 3);
        Assert.Equal("s", FrontendTelemetry.CertificateExpiry.Unit);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<(ServerCertificate Certificate, CertificateReloader Reloader)> StartAsync()
    {
        await WritePairAsync(_directory);
        // Written long ago, as a real certificate is: a replacement then differs in write time whatever its size.
        File.SetLastWriteTimeUtc(_options.CertificatePath!, DateTime.UtcNow.AddHours(-1));
        File.SetLastWriteTimeUtc(_options.KeyPath!, DateTime.UtcNow.AddHours(-1));
        var certificate = ServerCertificate.Load(_options, _time) ?? throw new InvalidOperationException("no certificate");
        return (certificate, new CertificateReloader(certificate, _options, _time, _log));
    }

    /// <summary>Writes a new dev pair into <paramref name="directory"/>; returns the certificate's thumbprint.</summary>
    private async Task<string> WritePairAsync(string directory)
    {
        var (certificatePath, _) = await DevCertificate.WriteAsync(directory, overwrite: true, CancellationToken.None, _hostName);
        return System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(certificatePath)).GetCertHashString();
    }

    private sealed record Entry(int EventId, LogLevel Level, Exception? Exception);

    private sealed class RecordingLogger : ILogger<CertificateReloader>
    {
        public List<Entry> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries)
            {
                Entries.Add(new Entry(eventId.Id, logLevel, exception));
            }
        }
    }
}
