using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests.Security;

/// <summary>TLS with the standard tools: <c>openssl s_client</c> and Python's <c>poplib</c> (POP3_SSL and stls()), verifying the dev certificate.</summary>
public sealed class TlsClientToolTests(TlsServerFixture fixture) : IClassFixture<TlsServerFixture>
{
    private const string PoplibScript = """
        import poplib, ssl, sys
        mode, port, user, password, cafile = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
        context = ssl.create_default_context(cafile=cafile)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        if mode == "ssl":
            pop = poplib.POP3_SSL("127.0.0.1", port, context=context, timeout=60)
        else:
            pop = poplib.POP3("127.0.0.1", port, timeout=60)
            print("before:", " ".join(sorted(pop.capa())))
            pop.stls(context=context)
        print("after:", " ".join(sorted(pop.capa())))
        print("tls:", pop.sock.version())
        pop.user(user)
        pop.pass_(password)
        print("stat: %d %d" % pop.stat())
        pop.quit()
        """;

    [Theory]
    [InlineData("ssl")]
    [InlineData("stls")]
    public Task Poplib_TlsVerifiedAgainstDevCertificate_Stat(string mode) => fixture.Inner.GuardAsync(async () =>
    {
        var python = ExternalTool.Require("python3", "python3");
        var mailbox = await fixture.Inner.CreateMailboxAsync("pytls", [TestMessages.Plain()]);
        var directory = fixture.Inner.NewScratchDirectory("poplib-tls");
        var script = Path.Combine(directory, "tls.py");
        await File.WriteAllTextAsync(script, PoplibScript);
        var port = mode == "ssl" ? fixture.TlsPort : fixture.Pop3Port;

        var result = await ProcessRunner.RunAsync(python,
            [script, mode, port.ToString(), mailbox.Login, mailbox.Password, fixture.Certificate.CertificatePath]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"stat: 1 {mailbox.Messages[0].Normalized.Length}", result.Stdout);
        Assert.Matches("tls: TLSv1\\.[23]", result.Stdout);
        var after = result.Stdout.Split('\n').Single(l => l.StartsWith("after:", StringComparison.Ordinal));
        Assert.DoesNotContain("STLS", after);
        if (mode == "stls")
        {
            Assert.Contains("STLS", result.Stdout.Split('\n').Single(l => l.StartsWith("before:", StringComparison.Ordinal)));
        }
    });

    [Fact]
    public Task OpensslSClient_ImplicitTls_GreetsAndCapa() => fixture.Inner.GuardAsync(async () =>
    {
        var openssl = ExternalTool.Require("openssl", "openssl");
        var result = await ProcessRunner.RunAsync(openssl,
            ["s_client", "-connect", $"127.0.0.1:{fixture.TlsPort}", "-quiet", "-verify_return_error",
             "-CAfile", fixture.Certificate.CertificatePath, "-verify_ip", "127.0.0.1"],
            stdin: "CAPA\r\nQUIT\r\n");

        Assert.Contains("+OK Pop3Gateway ready.", result.Stdout);
        Assert.Contains("SASL SCRAM-SHA-256 PLAIN LOGIN", result.Stdout);
        Assert.DoesNotContain("\nSTLS", result.Stdout);
        Assert.Contains("+OK Bye.", result.Stdout);
    });

    [Fact]
    public Task OpensslSClient_StartTlsPop3_CapaAfterTlsHasNoStls() => fixture.Inner.GuardAsync(async () =>
    {
        var openssl = ExternalTool.Require("openssl", "openssl");
        var result = await ProcessRunner.RunAsync(openssl,
            ["s_client", "-connect", $"127.0.0.1:{fixture.Pop3Port}", "-starttls", "pop3", "-quiet", "-verify_return_error",
             "-CAfile", fixture.Certificate.CertificatePath, "-verify_ip", "127.0.0.1"],
            stdin: "CAPA\r\nQUIT\r\n");

        Assert.Contains("+OK Capability list follows.", result.Stdout);
        Assert.DoesNotContain("\nSTLS", result.Stdout);
        Assert.Contains("+OK Bye.", result.Stdout);
    });

    [Fact]
    public Task OpensslSClient_Tls11_Refused() => fixture.Inner.GuardAsync(async () =>
    {
        var openssl = ExternalTool.Require("openssl", "openssl");
        var result = await ProcessRunner.RunAsync(openssl,
            ["s_client", "-connect", $"127.0.0.1:{fixture.TlsPort}", "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0", "-quiet"],
            stdin: "QUIT\r\n");

        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain("+OK", result.Stdout);
    });
}
