using System.Globalization;
using System.Text.Json;
using Pop3Gateway.Integration.Tests.Infrastructure;
using Pop3Gateway.Integration.Tests.Operations;

namespace Pop3Gateway.Integration.Tests.Security;

/// <summary>
/// Replacing the certificate and key files of a running server (it checks them every second here): new handshakes,
/// implicit TLS and STLS, show the new certificate; a broken replacement keeps the old one and logs an error until a
/// good one follows; the expiry gauge follows the certificate in use.
/// </summary>
[Collection(OperationsCollection.Name)]
public sealed class CertificateReloadTests(OperationsServerFixture fixture)
{
    /// <summary>Several reload intervals: the server checks every second, a handshake takes milliseconds.</summary>
    private static readonly TimeSpan ReloadDeadline = TimeSpan.FromSeconds(30);

    private const int ReloadFailedEventId = 1301;

    [Fact]
    public Task Reload_ReplacedPair_ImplicitTlsAndStlsServeNewCertificate() => fixture.Inner.GuardAsync(async () =>
    {
        var replacement = TestCertificates.Create("replaced.pop3gw.test", TimeSpan.FromDays(60));

        await fixture.WriteAsync(replacement);

        await WaitUntilServedAsync(replacement, starttls: false);
        Assert.Equal(replacement.Thumbprint, await ServedThumbprintAsync(starttls: true));
    });

    [Theory]
    [InlineData("truncated")]
    [InlineData("mismatched-key")]
    public Task Reload_BrokenReplacement_OldKeptErrorLoggedThenFixedOneServed(string broken) => fixture.Inner.GuardAsync(async () =>
    {
        var served = await ServedThumbprintAsync(starttls: false);
        var errorsBefore = ReloadErrors().Count;
        var replacement = TestCertificates.Create($"fixed-{broken}.pop3gw.test", TimeSpan.FromDays(90));

        if (broken == "truncated")
        {
            // A copy caught half way: the certificate file ends in the middle of its base64.
            await File.WriteAllTextAsync(fixture.CertificatePath, replacement.CertificatePem[..(replacement.CertificatePem.Length / 2)]);
        }
        else
        {
            await File.WriteAllTextAsync(fixture.CertificatePath, replacement.CertificatePem);
        }
        await Eventually.UntilAsync("the reload error event", ReloadDeadline,
            () => Task.FromResult(ReloadErrors().Count > errorsBefore ? null : $"{ReloadErrors().Count} error events"));

        Assert.Equal(served, await ServedThumbprintAsync(starttls: false));
        Assert.Equal(served, await ServedThumbprintAsync(starttls: true));
        var error = ReloadErrors()[^1];
        Assert.Equal("Error", error.GetProperty("level").GetString());
        Assert.Contains(fixture.CertificatePath, error.GetProperty("message").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("exception").GetString()));

        await fixture.WriteAsync(replacement);
        await WaitUntilServedAsync(replacement, starttls: true);
    });

    [Fact]
    public Task ExpiryGauge_Metrics_SecondsUntilNotAfterOfServedCertificate() => fixture.Inner.GuardAsync(async () =>
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{fixture.Inner.Server.ManagementPort}/") };
        var served = await ServedCertificateAsync(starttls: false);

        var metrics = await http.GetStringAsync("metrics");

        var line = metrics.Split('\n').SingleOrDefault(l => l.StartsWith("tls_certificate_expiry_seconds{", StringComparison.Ordinal));
        Assert.True(line is not null, metrics);
        Assert.Contains($"tls_certificate_subject=\"{served.Subject}\"", line);
        var seconds = double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        var expected = (new DateTimeOffset(served.NotAfter.ToUniversalTime()) - DateTimeOffset.UtcNow).TotalSeconds;
        Assert.InRange(seconds, expected - 120, expected + 120);
    });

    private async Task WaitUntilServedAsync(TestCertificates.Pair pair, bool starttls) =>
        await Eventually.UntilAsync($"a handshake to show {pair.Thumbprint}", ReloadDeadline, async () =>
        {
            var thumbprint = await ServedThumbprintAsync(starttls);
            return thumbprint == pair.Thumbprint ? null : $"served {thumbprint}";
        }, TimeSpan.FromMilliseconds(250));

    private async Task<string> ServedThumbprintAsync(bool starttls)
    {
        using var certificate = await ServedCertificateAsync(starttls);
        return certificate.GetCertHashString();
    }

    /// <summary>The certificate a new <c>openssl s_client</c> handshake sees, on the POP3S port or after STLS.</summary>
    private async Task<System.Security.Cryptography.X509Certificates.X509Certificate2> ServedCertificateAsync(bool starttls)
    {
        var openssl = ExternalTool.Require("openssl", "openssl");
        string[] arguments = starttls
            ? ["s_client", "-connect", $"127.0.0.1:{fixture.Inner.Pop3Port}", "-starttls", "pop3"]
            : ["s_client", "-connect", $"127.0.0.1:{fixture.TlsPort}"];
        var result = await ProcessRunner.RunAsync(openssl, arguments, stdin: "QUIT\r\n");
        return TestCertificates.FromSClientOutput(result.Stdout)
            ?? throw new Xunit.Sdk.XunitException($"no certificate in the handshake: {result}");
    }

    private List<JsonElement> ReloadErrors() =>
        fixture.LogLines().Select(line => JsonDocument.Parse(line).RootElement)
            .Where(e => e.GetProperty("eventId").GetInt32() == ReloadFailedEventId)
            .ToList();
}
