using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests.Operations;

[CollectionDefinition(Name)]
public sealed class OperationsCollection : ICollectionFixture<OperationsServerFixture>
{
    public const string Name = "operations server";
}

/// <summary>
/// One server for the operations tests: certificate files it may replace (checked every second), implicit TLS
/// and STLS, JSON logs with the protocol log on, and a <see cref="NotifySocket"/> as systemd's notification socket.
/// </summary>
public sealed class OperationsServerFixture : IAsyncLifetime
{
    /// <summary>How often the server looks at its certificate files here (production: 30 s).</summary>
    public const string ReloadInterval = "00:00:01";

    public ServerFixture Inner { get; private set; } = null!;

    public NotifySocket Notify { get; private set; } = null!;

    public int TlsPort { get; private set; }

    public string CertificatePath { get; private set; } = null!;

    public string KeyPath { get; private set; } = null!;

    /// <summary>The pair the server was started with.</summary>
    public TestCertificates.Pair Initial { get; } = TestCertificates.Create("initial.pop3gw.test", TimeSpan.FromDays(30));

    public async Task InitializeAsync()
    {
        var directory = Directory.CreateTempSubdirectory("pop3gw-ops-tls-").FullName;
        CertificatePath = Path.Combine(directory, "cert.pem");
        KeyPath = Path.Combine(directory, "key.pem");
        await WriteAsync(Initial);
        TlsPort = FreePorts.Allocate(1)[0];
        var settings = new Dictionary<string, string>
        {
            ["POP3GW__Pop3__TlsPort"] = TlsPort.ToString(),
            ["POP3GW__Tls__CertificatePath"] = CertificatePath,
            ["POP3GW__Tls__KeyPath"] = KeyPath,
            ["POP3GW__Tls__ReloadInterval"] = ReloadInterval,
            ["POP3GW__Logging__Format"] = "json",
            ["POP3GW__Pop3__ProtocolLog"] = "true",
            ["POP3GW__Logging__LogLevel__Pop3Gateway"] = "Information",
        };
        Notify = new NotifySocket();
        settings["NOTIFY_SOCKET"] = Notify.Path;
        Inner = new ServerFixture(new ServerProcess(settings));
        Notify.ProbePort = Inner.Pop3Port;
        await Inner.InitializeAsync();
    }

    /// <summary>Replaces the key, then the certificate, in place (as an operator's copy or certbot's hook would).</summary>
    public async Task WriteAsync(TestCertificates.Pair pair)
    {
        await File.WriteAllTextAsync(KeyPath, pair.KeyPem);
        await File.WriteAllTextAsync(CertificatePath, pair.CertificatePem);
    }

    /// <summary>Every line the server wrote so far, without the test harness's own <c>===</c> lines.</summary>
    public IReadOnlyList<string> LogLines()
    {
        using var file = new FileStream(Path.Combine(Inner.Server.Root, "server.log"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(file);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith("=== ", StringComparison.Ordinal))
            .ToList();
    }

    public async Task DisposeAsync()
    {
        await Inner.DisposeAsync();
        await Notify.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(CertificatePath)!, recursive: true);
    }
}
