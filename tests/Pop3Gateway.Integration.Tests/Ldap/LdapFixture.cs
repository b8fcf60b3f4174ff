using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests.Ldap;

/// <summary>
/// One slapd and one <c>pop3gw serve</c> with <c>Auth:Backend=Ldap</c> over StartTLS, shared by the LDAP
/// tests: the service account's password comes from a file, the group <c>sales</c> delegates its mailbox,
/// and <c>EXAMPLE\user</c> is read as a NetBIOS domain and a login.
/// </summary>
public sealed class LdapFixture : IAsyncLifetime
{
    /// <summary>The directory's NetBIOS domain name (<c>Auth:Ldap:Domains</c>).</summary>
    public const string NetbiosDomain = "EXAMPLE";

    public LdapFixture()
    {
        Slapd = new SlapdProcess();
        Gateway = new ServerFixture(new ServerProcess(GatewaySettings()));
    }

    public SlapdProcess Slapd { get; }

    public ServerFixture Gateway { get; }

    public int Pop3Port => Gateway.Pop3Port;

    /// <summary>The <c>Auth</c> settings of a gateway that asks this slapd, plus <paramref name="extra"/>.</summary>
    public Dictionary<string, string> GatewaySettings(IReadOnlyDictionary<string, string>? extra = null)
    {
        var passwordFile = Path.Combine(Slapd.Root, "bind-password");
        File.WriteAllText(passwordFile, SlapdProcess.ServicePassword + "\n");
        var settings = new Dictionary<string, string>
        {
            ["POP3GW__Auth__Backend"] = "Ldap",
            ["POP3GW__Auth__Ldap__Url"] = $"ldap://127.0.0.1:{Slapd.PlainPort}",
            ["POP3GW__Auth__Ldap__StartTls"] = "true",
            ["POP3GW__Auth__Ldap__CaPath"] = Slapd.Certificates.CaPath,
            ["POP3GW__Auth__Ldap__BindDn"] = SlapdProcess.ServiceDn,
            ["POP3GW__Auth__Ldap__BindPasswordFile"] = passwordFile,
            ["POP3GW__Auth__Ldap__SearchBase"] = SlapdProcess.Suffix,
            ["POP3GW__Auth__Ldap__DisabledFilter"] = "(description=disabled)",
            ["POP3GW__Auth__Ldap__DelegationGroupFilter"] = "(&(objectClass=groupOfNames)(member={dn}))",
            ["POP3GW__Auth__Ldap__DelegationAttribute"] = "cn",
            ["POP3GW__Auth__Ldap__Domains__0"] = NetbiosDomain,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }
        return settings;
    }

    public async Task InitializeAsync()
    {
        await Slapd.StartAsync();
        await Gateway.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Slapd.DisposeAsync();
    }
}

/// <summary>The LDAP test classes share one slapd and one gateway, and run one after another (one of them stops slapd).</summary>
[CollectionDefinition(Name)]
public sealed class LdapCollection : ICollectionFixture<LdapFixture>
{
    public const string Name = "ldap";
}
