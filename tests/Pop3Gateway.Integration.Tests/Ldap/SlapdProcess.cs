using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Pop3Gateway.Grains.Ldap;
using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests.Ldap;

/// <summary>
/// Debian's OpenLDAP <c>slapd</c> from a generated configuration in a temp directory: the directory of
/// <see cref="Ldif"/> under <c>dc=example,dc=com</c>, a plain listener that offers StartTLS and an LDAPS
/// listener, both with a certificate from a CA made for the run. It can be stopped and started again
/// on the same ports and data.
/// </summary>
public sealed class SlapdProcess : IAsyncDisposable
{
    public const string Suffix = "dc=example,dc=com";
    public const string ServiceDn = "cn=pop3gw,ou=services," + Suffix;
    public const string ServicePassword = "svc-Secret-1";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly string _slapd;
    private readonly string _configuration;
    private Process? _process;

    public SlapdProcess()
    {
        _slapd = ExternalTool.Require("slapd", "slapd");
        var slapadd = ExternalTool.Require("slapadd", "slapd");
        Root = Path.Combine(Path.GetTempPath(), $"pop3gw-slapd-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(Root, "db"));
        Certificates = TestCertificates.Create(Root, "ldap");
        (PlainPort, LdapsPort) = FreePorts.Allocate(2) switch { var p => (p[0], p[1]) };
        _configuration = Path.Combine(Root, "slapd.conf");
        File.WriteAllText(_configuration, Configuration());
        File.WriteAllText(Path.Combine(Root, "users.ldif"), Ldif);
        var load = ProcessRunner.RunAsync(slapadd, ["-f", _configuration, "-l", Path.Combine(Root, "users.ldif")]).GetAwaiter().GetResult();
        if (load.ExitCode != 0)
        {
            throw new InvalidOperationException($"slapadd failed: {load}");
        }
    }

    public string Root { get; }

    public TestCertificates Certificates { get; }

    /// <summary>ldap:// with StartTLS offered.</summary>
    public int PlainPort { get; }

    public int LdapsPort { get; }

    /// <summary>
    /// alice (member of the group that grants mailbox <c>sales</c>), bob, carol (disabled), dave and erin
    /// (kept for the outage test), the service account; every user's password is <c>NAME-Secret-1</c>.
    /// </summary>
    public static string Ldif => $"""
        dn: {Suffix}
        objectClass: dcObject
        objectClass: organization
        o: Example
        dc: example

        dn: ou=people,{Suffix}
        objectClass: organizationalUnit
        ou: people

        dn: ou=groups,{Suffix}
        objectClass: organizationalUnit
        ou: groups

        dn: ou=services,{Suffix}
        objectClass: organizationalUnit
        ou: services

        dn: {ServiceDn}
        objectClass: inetOrgPerson
        cn: pop3gw
        sn: service
        userPassword: {ServicePassword}

        {Person("alice")}
        {Person("bob")}
        {Person("carol", "description: disabled")}
        {Person("dave")}
        {Person("erin")}
        dn: cn=sales,ou=groups,{Suffix}
        objectClass: groupOfNames
        cn: sales
        member: uid=alice,ou=people,{Suffix}

        """;

    public static string Password(string user) => $"{user}-Secret-1";

    private static string Person(string uid, string extra = "") => $"""
        dn: uid={uid},ou=people,{Suffix}
        objectClass: inetOrgPerson
        uid: {uid}
        cn: {uid}
        sn: {uid}
        mail: {uid}@example.com
        userPassword: {Password(uid)}
        {extra}

        """;

    private string Configuration() => $"""
        include /etc/ldap/schema/core.schema
        include /etc/ldap/schema/cosine.schema
        include /etc/ldap/schema/inetorgperson.schema
        include /etc/ldap/schema/nis.schema
        modulepath /usr/lib/ldap
        moduleload back_mdb
        pidfile {Root}/slapd.pid
        TLSCACertificateFile {Certificates.CaPath}
        TLSCertificateFile {Certificates.CertificatePath}
        TLSCertificateKeyFile {Certificates.KeyPath}
        database mdb
        suffix "{Suffix}"
        directory {Root}/db
        access to attrs=userPassword by anonymous auth by * none
        access to * by users read by * none

        """;

    public async Task StartAsync()
    {
        var info = new ProcessStartInfo(_slapd)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // -d 0: stay in the foreground, so the test owns the process.
        foreach (var argument in new[] { "-f", _configuration, "-h", $"ldap://127.0.0.1:{PlainPort}/ ldaps://127.0.0.1:{LdapsPort}/", "-d", "0" })
        {
            info.ArgumentList.Add(argument);
        }
        _process = Process.Start(info) ?? throw new InvalidOperationException("slapd did not start");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        // Ready means answering a StartTLS search-then-bind, not merely accepting connections.
        using var probe = new LdapDirectory(new LdapOptions
        {
            Url = $"ldap://127.0.0.1:{PlainPort}",
            StartTls = true,
            CaPath = Certificates.CaPath,
            BindDn = ServiceDn,
            BindPassword = ServicePassword,
            SearchBase = Suffix,
            PoolSize = 1,
        }, NullLogger<LdapDirectory>.Instance);
        await Eventually.UntilAsync($"slapd on {PlainPort} and {LdapsPort}", StartTimeout, async () =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"slapd exited before it listened on {PlainPort} and {LdapsPort}");
            }
            if (!await AcceptsAsync(LdapsPort))
            {
                return "LDAPS port not listening";
            }
            var verdict = (await probe.CheckAsync("alice", Password("alice"), CancellationToken.None)).Verdict;
            return verdict == DirectoryVerdict.Ok ? null : $"test login answered {verdict}";
        }, TimeSpan.FromMilliseconds(50));
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await ChildProcessCleanup.StopAndDeleteAsync(null, Root);
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
