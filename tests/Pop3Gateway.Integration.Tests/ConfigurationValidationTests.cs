using Microsoft.Extensions.Configuration;
using Pop3Gateway.Host.Cli;
using Pop3Gateway.Host.Configuration.Settings;
using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests;

/// <summary>
/// A misspelt key or a bad value stops <c>pop3gw serve</c> before it listens: exit status 1 and one line on
/// stderr. Two cases run the real binary; the others go through the same entry point in-process.
/// </summary>
public sealed class ConfigurationValidationTests : IDisposable
{
    /// <summary>Start-up must fail long before a server would be ready.</summary>
    private static readonly TimeSpan FailFast = TimeSpan.FromSeconds(10);

    private readonly string _root = Directory.CreateTempSubdirectory("pop3gw-config-").FullName;

    [Fact]
    public async Task Serve_MisspeltKey_ExitOneWithOneLineNamingTheKey()
    {
        var result = await ServeAsync(new() { ["POP3GW__Pop3__IdelTimeout"] = "00:20:00" });

        AssertStopped(result, "pop3gw: invalid configuration: Pop3:IdelTimeout is not a setting (did you mean Pop3:IdleTimeout?)");
    }

    [Fact]
    public async Task Serve_UnparsablePort_ExitOneWithOneLine()
    {
        var result = await ServeAsync(new() { ["POP3GW__Pop3__Port"] = "abc" });

        AssertStopped(result, "pop3gw: invalid configuration: Pop3:Port 'abc' is not a whole number");
    }

    [Theory]
    [InlineData("Pop3:Port", "70000", "Pop3:Port '70000' is not a port (1-65535)")]
    [InlineData("Pop3:Port", "0", "Pop3:Port '0' is not a port (1-65535)")]
    [InlineData("Orleans:GatewayPort", "-1", "Orleans:GatewayPort '-1' is not a port (1-65535)")]
    [InlineData("Management:Port", "65536", "Management:Port '65536' is not a port (1-65535, or 0 for off)")]
    [InlineData("Pop3:IdleTimeout", "-00:00:01", "Pop3:IdleTimeout '-00:00:01' must be more than zero")]
    [InlineData("Lmtp:IdleTimeout", "00:00:00", "Lmtp:IdleTimeout '00:00:00' must be more than zero")]
    [InlineData("Security:FailureDelay", "-00:00:01", "Security:FailureDelay '-00:00:01' must not be negative")]
    [InlineData("Security:TrustedNetworks", "10.0.0.0/33", "Security:TrustedNetworks '10.0.0.0/33' is not a comma-separated list of CIDRs or addresses")]
    [InlineData("Network:TrustedProxies", "10.0.0.0/8,proxy", "Network:TrustedProxies '10.0.0.0/8,proxy' is not a comma-separated list of CIDRs or addresses")]
    [InlineData("Pop3:LockPolicy", "Shared", "Pop3:LockPolicy 'Shared' is not one of Exclusive, Takeover")]
    [InlineData("Storage:Provider", "7", "Storage:Provider '7' is not one of Embedded, Azure")]
    [InlineData("Pop3:MaxBadCommands", "many", "Pop3:MaxBadCommands 'many' is not a whole number")]
    [InlineData("Pop3:IdleTimeout", "ten minutes", "Pop3:IdleTimeout 'ten minutes' is not a duration ([d.]hh:mm:ss[.fff])")]
    [InlineData("Security:AllowCleartextAuth", "yes", "Security:AllowCleartextAuth 'yes' is not true or false")]
    [InlineData("Pop3:Address", "localhost", "Pop3:Address 'localhost' is not an IP address")]
    [InlineData("Pop3:MaxLineLength", "100", "Pop3:MaxLineLength '100' must be between 255 and 65536")]
    [InlineData("Storage:Sweep:Intervall", "1.00:00:00", "Storage:Sweep:Intervall is not a setting (did you mean Storage:Sweep:Interval?)")]
    [InlineData("Pop3:AllowCleartextAuth", "true", "Pop3:AllowCleartextAuth is not a setting (did you mean Security:AllowCleartextAuth?)")]
    [InlineData("Pop3:NetbiosDomains:0", "CORP", "Pop3:NetbiosDomains is not a setting")]
    [InlineData("Auth:Ldap:Url:Host", "x", "Auth:Ldap:Url:Host is not a setting (Auth:Ldap:Url is a single value)")]
    [InlineData("Auth:Ldap:Domains:first", "CORP", "Auth:Ldap:Domains:first is not a setting (Auth:Ldap:Domains is a list: Auth:Ldap:Domains:0, Auth:Ldap:Domains:1, …)")]
    [InlineData("Cluster:CertificatePath", "/etc/pop3gw/node.pem", "Cluster:CaCertificatePath is required once any Cluster: path is set")]
    [InlineData("Tls:CertificatePath", "/nonexistent/server.pem", "Tls:CertificatePath '/nonexistent/server.pem' does not exist")]
    [InlineData("Sessions:HeartbeatInterval", "00:00:06", "Sessions:HeartbeatInterval 00:00:06 must be at most half of Sessions:FrontendLease 00:00:10, so that one late beat is not a death")]
    [InlineData("Sessions:SessionLease", "00:00:05", "Sessions:SessionLease 00:00:05 must be at least Sessions:FrontendLease 00:00:10")]
    [InlineData("Delivery:DedupeWindow", "-01:00:00", "Delivery:DedupeWindow '-01:00:00' must be between 00:00:00 and 30.00:00:00")]
    [InlineData("Logging:Format", "xml", "Logging:Format 'xml' is not one of Text, Json")]
    [InlineData("Auth:Backend", "Ldap", "Auth:Ldap:Url '' must be ldap://HOST[:PORT] or ldaps://HOST[:PORT]")]
    public void Validate_BadSetting_OneLineNamingKeyAndProblem(string key, string value, string expected)
    {
        var error = Assert.Throws<UsageException>(() => SettingsValidation.Validate(Configuration((key, value))));

        Assert.Equal(SettingsValidation.Prefix + expected, error.Message);
    }

    [Fact]
    public void Validate_UnreadableCertificate_OneLineNamingTheFile()
    {
        var path = Path.Combine(_root, "server.pem");
        File.WriteAllText(path, "not a certificate\n");

        var error = Assert.Throws<UsageException>(() => SettingsValidation.Validate(Configuration(("Tls:CertificatePath", path))));

        Assert.StartsWith($"{SettingsValidation.Prefix}Tls:CertificatePath '{path}' could not be loaded", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Validate_LdapDomainWithBackslash_OneLine()
    {
        var configuration = Configuration(("Auth:Backend", "Ldap"), ("Auth:Ldap:Url", "ldap://127.0.0.1"), ("Auth:Ldap:SearchBase", "dc=example,dc=com"),
            ("Auth:Ldap:Domains:0", @"CORP\alice"));

        var error = Assert.Throws<UsageException>(() => SettingsValidation.Validate(configuration));

        Assert.Equal(SettingsValidation.Prefix + @"Auth:Ldap:Domains entry 'CORP\alice' is not a domain name (empty, or contains '\')", error.Message);
    }

    [Fact]
    public void Validate_Defaults_Valid()
    {
        Assert.Null(SettingsValidation.FindProblem(Configuration(), GatewaySettings.Sections));
    }

    [Fact]
    public void Validate_SettingsOfTheTestServer_Valid()
    {
        var settings = ServerProcess.SettingsFor(1110, 11111, 30000, _root)
            .Where(pair => pair.Key.StartsWith("POP3GW__", StringComparison.Ordinal))
            .Select(pair => (pair.Key["POP3GW__".Length..].Replace("__", ":", StringComparison.Ordinal), pair.Value));

        Assert.Null(SettingsValidation.FindProblem(Configuration([.. settings]), GatewaySettings.Sections));
    }

    [Fact]
    public void Validate_CaseOfKeysAndValues_Ignored()
    {
        var configuration = Configuration(("pop3:idletimeout", "00:20:00"), ("POP3:LOCKPOLICY", "takeover"), ("Auth:Ldap:Domains:0", "CORP"));

        Assert.Null(SettingsValidation.FindProblem(configuration, GatewaySettings.Sections));
    }

    [Fact]
    public void Validate_LoggingAndOtherSections_NotChecked()
    {
        var configuration = Configuration(("Logging:LogLevel:Polly", "Warning"), ("Logging:Console:FormatterName", "json"),
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317"), ("Role", "silo"));

        Assert.Null(SettingsValidation.FindProblem(configuration, GatewaySettings.Sections));
    }

    [Fact]
    public void Validate_OpenSection_SubsectionsPassValuesChecked()
    {
        SettingsSection[] sections = [SettingsSection.Of<OpenOptions>("Logging", openSubsections: true)];

        Assert.Null(SettingsValidation.FindProblem(Configuration(("Logging:LogLevel:Default", "Debug"), ("Logging:Format", "json")), sections));
        Assert.Equal("Logging:Fromat is not a setting (did you mean Logging:Format?)",
            SettingsValidation.FindProblem(Configuration(("Logging:Fromat", "json")), sections));
    }

    [Theory]
    [InlineData("Test:Inner:Count", "2", null)]
    [InlineData("Test:Limits:pop3", "5", null)]
    [InlineData("Test:Limits:pop3", "five", "Test:Limits:pop3 'five' is not a whole number")]
    [InlineData("Test:Limits:pop3:x", "5", "Test:Limits:pop3:x is not a setting")]
    [InlineData("Test:Inner:Cuont", "2", "Test:Inner:Cuont is not a setting (did you mean Test:Inner:Count?)")]
    [InlineData("Test:Inner:Count", "-2", "Test:Inner:Count '-2' must not be negative")]
    [InlineData("Test:Names:1", "b", null)]
    public void Validate_NestedObjectMapAndList_EachKeyChecked(string key, string value, string? expected)
    {
        SettingsSection[] sections = [SettingsSection.Of<NestedOptions>("Test")];

        Assert.Equal(expected, SettingsValidation.FindProblem(Configuration((key, value)), sections));
    }

    /// <summary>An options class with a nested object, a map and a list.</summary>
    public sealed class NestedOptions
    {
        public InnerOptions Inner { get; set; } = new();

        public Dictionary<string, int> Limits { get; set; } = [];

        public List<string> Names { get; set; } = [];
    }

    public sealed class InnerOptions
    {
        [Pop3Gateway.Abstractions.Configuration.NotNegative]
        public int Count { get; set; }
    }

    /// <summary>An options class with one setting, for a section that has subsections of its own.</summary>
    public sealed class OpenOptions
    {
        public string Format { get; set; } = "text";
    }

    private static IConfiguration Configuration(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, v.Value))).Build();

    private Task<ProcessResult> ServeAsync(Dictionary<string, string> settings)
    {
        settings["POP3GW__Storage__DataDirectory"] = Path.Combine(_root, "data");
        return ServerProcess.RunCliAsync(settings, _root, ["serve"], timeout: TimeSpan.FromSeconds(60));
    }

    private static void AssertStopped(ProcessResult result, string line)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal([line], result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(result.Elapsed < FailFast, result.ToString());
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
