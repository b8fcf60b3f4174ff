using System.Security.Cryptography.X509Certificates;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Host.Configuration.Cluster;
using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests.Security;

/// <summary>
/// The Orleans ports of a default (combined) server: mutual TLS with the CA it made on first start, admin
/// changes only with the admin credential, each one audited.
/// </summary>
public sealed class ClusterSecurityTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    private ClusterFiles Files => ClusterFiles.In(Path.Combine(Server.DataDirectory, ClusterSettings.Folder));

    [Fact]
    public Task GatewayPort_ClientWithoutCertificate_Refused() => fixture.GuardAsync(async () =>
    {
        await Assert.ThrowsAnyAsync<Exception>(() => ClusterClients.ConnectAsync(Server));
    });

    [Fact]
    public Task GatewayPort_ClientWithCertificateOfAnotherCa_Refused() => fixture.GuardAsync(async () =>
    {
        var foreign = ClusterAuthority.Create(Path.Combine(fixture.NewScratchDirectory("foreign"), "cluster"));
        using var certificate = X509Certificate2.CreateFromPemFile(foreign.AdminCertificate, foreign.AdminKey);

        await Assert.ThrowsAnyAsync<Exception>(() => ClusterClients.ConnectAsync(Server,
            client => client.UseTls(certificate, o => o.AllowAnyRemoteCertificate())));
    });

    [Theory]
    [InlineData("gateway")]
    [InlineData("silo")]
    public Task OrleansPort_TlsWithoutOrWithForeignCertificate_Closed(string port) => fixture.GuardAsync(async () =>
    {
        var number = port == "silo" ? Server.SiloPort : Server.GatewayPort;
        var foreign = ClusterAuthority.Create(Path.Combine(fixture.NewScratchDirectory($"foreign-{port}"), "cluster"));
        using var certificate = X509Certificate2.CreateFromPemFile(foreign.NodeCertificate, foreign.NodeKey);

        Assert.True(await ClusterClients.ServerEndsTlsAsync(number, certificate: null), $"{port} port kept a client without a certificate");
        Assert.True(await ClusterClients.ServerEndsTlsAsync(number, certificate), $"{port} port kept a client of another CA");
    });

    [Fact]
    public Task Files_MadeOnFirstStart_OwnerOnly() => fixture.GuardAsync(() =>
    {
        var directory = Path.GetDirectoryName(Files.CaCertificate)!;
        const UnixFileMode owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;

        Assert.Equal(owner | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
        Assert.All(Directory.GetFiles(directory), file => Assert.Equal(owner, File.GetUnixFileMode(file)));
        return Task.CompletedTask;
    });

    [Fact]
    public Task AccountPasswd_NodeCertificate_RefusedAndUnchanged() => fixture.GuardAsync(async () =>
    {
        var account = await fixture.CreateAccountAsync("nodepw");
        using var node = X509Certificate2.CreateFromPemFile(Files.NodeCertificate, Files.NodeKey);
        using var authority = X509Certificate2.CreateFromPem(File.ReadAllText(Files.CaCertificate));

        using (var host = await ClusterClients.ConnectAsync(Server, client => client.UseTls(node, o => o.AllowAnyRemoteCertificate())))
        {
            var grain = ClusterClients.Grains(host).GetGrain<IAccountGrain>(account.Login);
            Assert.NotNull(await grain.Describe());
            await Assert.ThrowsAnyAsync<Exception>(() => grain.SetPassword("taken-over-1"));
        }

        using var pop3 = await MailKitSession.LoginAsync(fixture.Pop3Port, account.Login, account.Password);
        Assert.True(pop3.IsAuthenticated);
        Assert.Contains($"refused account passwd {account.Login}: no admin credential", Server.LogTail(4000));
    });

    [Fact]
    public Task AccountPasswd_AdminCli_AuditedWithSubjectWithoutPassword() => fixture.GuardAsync(async () =>
    {
        var account = await fixture.CreateAccountAsync("auditpw");
        var password = ServerFixture.NewPassword();

        await fixture.CliOkAsync(password + "\n", "account", "passwd", account.Login, "--password-stdin");
        await fixture.CliOkAsync(null, "account", "disable", account.Login);

        var expected = $"Audit: CN=admin, OU=pop3gw-admin, O=pop3gw account passwd {account.Login}: Ok";
        await Eventually.UntilAsync("the audit event", TimeSpan.FromSeconds(10),
            () => Task.FromResult(Server.LogTail(4000).Contains(expected) ? null : "not logged yet"));
        var log = Server.LogTail(4000);
        Assert.Contains($"account disable {account.Login} True: Ok", log);
        Assert.DoesNotContain(password, log);
        Assert.DoesNotContain(account.Password, log);
    });
}
