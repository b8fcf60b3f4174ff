using System.Text.Json;
using Pop3Gateway.Host.Cli;
using Pop3Gateway.Host.Configuration.Settings;

namespace Pop3Gateway.Integration.Tests;

/// <summary><c>pop3gw config show</c>: every setting, the changed ones, JSON, secrets redacted, an invalid configuration refused.</summary>
public sealed class ConfigShowCommandTests
{
    private static readonly Dictionary<string, string?> Overrides = new()
    {
        ["Pop3:Port"] = "2110",
        ["Auth:Ldap:BindPassword"] = "hunter2",
        ["Auth:Ldap:BindPasswordFile"] = "/run/secrets/ldap",
        ["Tls:KeyPath"] = "/etc/pop3gw/key.pem",
    };

    [Fact]
    public void Run_All_EverySettingOfEverySection()
    {
        var lines = Show(Overrides, changedOnly: false, json: false);

        Assert.Equal(GatewaySettings.Sections.SelectMany(s => s.Settings).Select(s => s.Key), lines.Select(line => line.Split(" = ")[0]));
        Assert.Contains("Pop3:Port = 2110", lines);
        Assert.Contains("Pop3:IdleTimeout = 00:10:00", lines);
        Assert.Contains("Storage:Sweep:Interval = 1.00:00:00", lines);
        Assert.Contains("Auth:Ldap:Domains = ", lines);
    }

    [Fact]
    public void Run_Changed_OnlySettingsThatDifferFromTheDefault()
    {
        var lines = Show(Overrides, changedOnly: true, json: false);

        Assert.Contains("Pop3:Port = 2110", lines);
        Assert.Contains("Tls:KeyPath = /etc/pop3gw/key.pem", lines);
        Assert.DoesNotContain(lines, line => line.StartsWith("Pop3:IdleTimeout", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.StartsWith("Storage:Provider", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_Secrets_RedactedPathsShown()
    {
        var output = string.Join('\n', Show(Overrides, changedOnly: false, json: false));

        Assert.DoesNotContain("hunter2", output);
        Assert.Contains("Auth:Ldap:BindPassword = (redacted)", output);
        Assert.Contains("Storage:AzureConnectionString = (redacted)", output);
        Assert.Contains("Auth:Ldap:BindPasswordFile = /run/secrets/ldap", output);
        Assert.Contains("Tls:CertificatePassword = \n", output + "\n");
    }

    [Fact]
    public void Run_Json_KeyValueDefaultChanged()
    {
        using var writer = new StringWriter();

        var exit = ConfigShowCommand.Run(Overrides, changedOnly: false, json: true, writer);

        Assert.Equal(0, exit);
        using var document = JsonDocument.Parse(writer.ToString());
        var settings = document.RootElement.GetProperty("settings").EnumerateArray().ToDictionary(s => s.GetProperty("key").GetString()!);
        var port = settings["Pop3:Port"];
        Assert.Equal("2110", port.GetProperty("value").GetString());
        Assert.Equal("1110", port.GetProperty("default").GetString());
        Assert.True(port.GetProperty("changed").GetBoolean());
        Assert.False(settings["Pop3:IdleTimeout"].GetProperty("changed").GetBoolean());
        Assert.Equal("(redacted)", settings["Auth:Ldap:BindPassword"].GetProperty("value").GetString());
        Assert.Equal("", settings["Auth:Ldap:BindPassword"].GetProperty("default").GetString());
    }

    [Fact]
    public void Run_InvalidConfiguration_SameLineAsServe()
    {
        var error = Assert.Throws<UsageException>(() =>
            ConfigShowCommand.Run(new Dictionary<string, string?> { ["Pop3:IdelTimeout"] = "1" }, changedOnly: false, json: false, TextWriter.Null));

        Assert.Equal("invalid configuration: Pop3:IdelTimeout is not a setting (did you mean Pop3:IdleTimeout?)", error.Message);
    }

    private static string[] Show(IReadOnlyDictionary<string, string?> overrides, bool changedOnly, bool json)
    {
        using var writer = new StringWriter();
        var exit = ConfigShowCommand.Run(overrides, changedOnly, json, writer);
        Assert.Equal(0, exit);
        return writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
