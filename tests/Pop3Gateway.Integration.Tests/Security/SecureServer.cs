using Pop3Gateway.Integration.Tests.Infrastructure;
using Xunit.Sdk;

namespace Pop3Gateway.Integration.Tests.Security;

/// <summary>A dev certificate made with <c>pop3gw cert dev</c>, and a server started with extra settings.</summary>
public static class SecureServer
{
    public sealed record DevCertificate(string CertificatePath, string KeyPath);

    public static async Task<DevCertificate> MakeCertificateAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"pop3gw-cert-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var environment = new Dictionary<string, string> { ["POP3GW__Storage__DataDirectory"] = directory };
        var result = await ServerProcess.RunCliAsync(environment, directory, ["cert", "dev"]);
        if (result.ExitCode != 0)
        {
            throw new XunitException($"pop3gw cert dev failed: {result}");
        }
        var lines = result.Stdout.Split('\n', StringSplitOptions.TrimEntries);
        var certificate = lines.Single(l => l.StartsWith("certificate:", StringComparison.Ordinal))["certificate:".Length..].Trim();
        var key = lines.Single(l => l.StartsWith("key:", StringComparison.Ordinal))["key:".Length..].Trim();
        Assert.Equal(Path.Combine(directory, "tls", "dev-cert.pem"), certificate);
        Assert.True(File.Exists(certificate) && File.Exists(key), result.ToString());
        return new DevCertificate(certificate, key);
    }

    public static Dictionary<string, string> TlsSettings(DevCertificate certificate, int tlsPort) => new()
    {
        ["POP3GW__Pop3__TlsPort"] = tlsPort.ToString(),
        ["POP3GW__Tls__CertificatePath"] = certificate.CertificatePath,
        ["POP3GW__Tls__KeyPath"] = certificate.KeyPath,
    };
}

/// <summary>A server with a certificate: STLS on the POP3 port, implicit TLS on <see cref="TlsPort"/>, protocol log on.</summary>
public sealed class TlsServerFixture : IAsyncLifetime
{
    public ServerFixture Inner { get; private set; } = null!;

    public SecureServer.DevCertificate Certificate { get; private set; } = null!;

    public int TlsPort { get; private set; }

    public int Pop3Port => Inner.Pop3Port;

    public async Task InitializeAsync()
    {
        Certificate = await SecureServer.MakeCertificateAsync();
        TlsPort = FreePorts.Allocate(1)[0];
        var settings = SecureServer.TlsSettings(Certificate, TlsPort);
        settings["POP3GW__Pop3__ProtocolLog"] = "true";
        settings["POP3GW__Logging__LogLevel__Pop3Gateway"] = "Information";
        Inner = new ServerFixture(new ServerProcess(settings));
        await Inner.InitializeAsync();
    }

    public Task DisposeAsync() => Inner.DisposeAsync();
}
