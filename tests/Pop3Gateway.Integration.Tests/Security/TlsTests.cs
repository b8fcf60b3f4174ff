using System.Security.Cryptography.X509Certificates;
using MailKit.Net.Pop3;
using MailKit.Security;
using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests.Security;

/// <summary>Implicit TLS and STLS with MailKit, every SASL mechanism, the STLS injection case, and the redacted protocol log.</summary>
public sealed class TlsTests(TlsServerFixture fixture) : IClassFixture<TlsServerFixture>
{
    private Pop3Client NewClient()
    {
        var expected = X509Certificate2.CreateFromPem(File.ReadAllText(fixture.Certificate.CertificatePath)).GetCertHashString();
        return new Pop3Client
        {
            Timeout = 30_000,
            ServerCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == expected,
        };
    }

    [Fact]
    public Task MailKit_SslOnConnect_LogsInAndLists() => fixture.Inner.GuardAsync(async () =>
    {
        var mailbox = await fixture.Inner.CreateMailboxAsync("tlsimp", [TestMessages.Plain()]);
        using var client = NewClient();
        await client.ConnectAsync("127.0.0.1", fixture.TlsPort, SecureSocketOptions.SslOnConnect);

        Assert.True(client.IsSecure);
        Assert.False(client.Capabilities.HasFlag(Pop3Capabilities.StartTLS));
        await client.AuthenticateAsync(mailbox.Login, mailbox.Password);
        Assert.Equal(mailbox.Uidls, await client.GetMessageUidsAsync());
        await client.DisconnectAsync(quit: true);
    });

    [Fact]
    public Task MailKit_StartTls_UpgradesAndLogsIn() => fixture.Inner.GuardAsync(async () =>
    {
        var mailbox = await fixture.Inner.CreateMailboxAsync("tlsstls", [TestMessages.Plain()]);
        using var client = NewClient();
        await client.ConnectAsync("127.0.0.1", fixture.Pop3Port, SecureSocketOptions.StartTls);

        // MailKit keeps the StartTLS flag it saw before the handshake; CAPA after TLS is checked by the raw and tool tests.
        Assert.True(client.IsSecure);
        await client.AuthenticateAsync(mailbox.Login, mailbox.Password);
        Assert.Equal(mailbox.Uidls, await client.GetMessageUidsAsync());
        await client.DisconnectAsync(quit: true);
    });

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("LOGIN")]
    [InlineData("SCRAM-SHA-256")]
    public Task MailKit_SaslMechanismOverTls_OpensMailbox(string mechanism) => fixture.Inner.GuardAsync(async () =>
    {
        var mailbox = await fixture.Inner.CreateMailboxAsync("tlssasl", [TestMessages.Plain()]);
        using var client = NewClient();
        await client.ConnectAsync("127.0.0.1", fixture.TlsPort, SecureSocketOptions.SslOnConnect);
        Assert.Contains(mechanism, client.AuthenticationMechanisms);

        var credentials = new System.Net.NetworkCredential(mailbox.Login, mailbox.Password);
        await client.AuthenticateAsync(SaslMechanism.Create(mechanism, credentials)!);

        Assert.Equal(mailbox.Uidls, await client.GetMessageUidsAsync());
        await client.DisconnectAsync(quit: true);
    });

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("SCRAM-SHA-256")]
    public Task MailKit_SaslWrongPassword_AuthenticationException(string mechanism) => fixture.Inner.GuardAsync(async () =>
    {
        var account = await fixture.Inner.CreateAccountAsync("tlsbad");
        using var client = NewClient();
        await client.ConnectAsync("127.0.0.1", fixture.TlsPort, SecureSocketOptions.SslOnConnect);

        var credentials = new System.Net.NetworkCredential(account.Login, account.Password + "x");
        await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(SaslMechanism.Create(mechanism, credentials)!));
    });

    [Fact]
    public Task Stls_PipelinedPlaintext_DiscardedNotExecuted() => fixture.Inner.GuardAsync(async () =>
    {
        var account = await fixture.Inner.CreateAccountAsync("tlsinject");
        await using var client = await LineClient.ConnectAsync(fixture.Pop3Port);
        Assert.StartsWith("+OK", await client.ReadLineAsync());

        // The attacker's USER rides in the same segment as STLS; it must not survive the handshake.
        await client.SendRawAsync($"STLS\r\nUSER {account.Login}\r\n");
        Assert.Equal("+OK Begin TLS negotiation.", await client.ReadLineAsync());
        await client.StartTlsAsync(fixture.Certificate.CertificatePath);

        Assert.Equal("-ERR USER first.", await client.CommandAsync($"PASS {account.Password}"));
        Assert.StartsWith("+OK", await client.CommandAsync("CAPA"));
        var capabilities = await client.ReadMultilineAsync();
        Assert.DoesNotContain("STLS", capabilities);
        Assert.Contains("USER", capabilities);
        Assert.Equal("-ERR TLS is already active.", await client.CommandAsync("STLS"));
    });

    [Fact]
    public Task Utf8_NonAsciiPassword_LogsIn() => fixture.Inner.GuardAsync(async () =>
    {
        var login = ServerFixture.UniqueLogin("utf8");
        const string password = "Grüße-пароль-密码";
        await fixture.Inner.CliOkAsync(password + "\n", "account", "add", login, "--password-stdin");
        await using var client = await LineClient.ConnectAsync(fixture.TlsPort);
        await client.StartTlsAsync(fixture.Certificate.CertificatePath);
        Assert.StartsWith("+OK", await client.ReadLineAsync());

        Assert.StartsWith("+OK", await client.CommandAsync("CAPA"));
        Assert.Contains("UTF8 USER", await client.ReadMultilineAsync());
        Assert.Equal("+OK UTF-8 enabled.", await client.CommandAsync("UTF8"));
        Assert.StartsWith("+OK", await client.CommandAsync($"USER {login}"));
        Assert.Equal("+OK Logged in.", await client.CommandAsync($"PASS {password}"));
    });

    [Fact]
    public Task ProtocolLog_PassAndAuth_Redacted() => fixture.Inner.GuardAsync(async () =>
    {
        var account = await fixture.Inner.CreateAccountAsync("tlslog");
        await using (var client = await LineClient.ConnectAsync(fixture.Pop3Port))
        {
            await client.ReadLineAsync();
            await client.CommandAsync($"USER {account.Login}");
            Assert.StartsWith("+OK", await client.CommandAsync($"PASS {account.Password}"));
            await client.CommandAsync("QUIT");
        }
        var plain = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"\0{account.Login}\0{account.Password}"));
        await using (var client = await LineClient.ConnectAsync(fixture.Pop3Port))
        {
            await client.ReadLineAsync();
            Assert.StartsWith("+ ", await client.CommandAsync("AUTH PLAIN"));
            Assert.StartsWith("+OK", await client.CommandAsync(plain));
            await client.CommandAsync("QUIT");
        }

        var log = await ReadLogAsync(account.Login, expectedLines: 2);
        Assert.Contains("C: PASS ***", log);
        Assert.Contains("C: ***", log);
        Assert.Contains($"C: USER {account.Login}", log);
        Assert.DoesNotContain(account.Password, log);
        Assert.DoesNotContain(plain, log);
    });

    private async Task<string> ReadLogAsync(string marker, int expectedLines)
    {
        var path = Path.Combine(fixture.Inner.Server.Root, "server.log");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string log;
        do
        {
            await Task.Delay(200);
            log = await File.ReadAllTextAsync(path);
        }
        while (log.Split(marker).Length <= expectedLines && DateTime.UtcNow < deadline);
        return log;
    }
}
