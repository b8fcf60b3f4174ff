using Pop3Gateway.Deploy.Tests.Infrastructure;

namespace Pop3Gateway.Deploy.Tests.Systemd;

/// <summary>
/// deploy/systemd/pop3gw.service: the settings a single-host install relies on, and <c>systemd-analyze verify</c>
/// finding nothing to complain about (a missing systemd-analyze is a failure: tests/run.sh installs it).
/// </summary>
public sealed class SystemdUnitTests
{
    private static string UnitPath => Path.Combine(Repository.Root, "deploy", "systemd", "pop3gw.service");

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Service = Section(File.ReadAllLines(UnitPath), "Service");

    [Fact]
    public void Service_TypeNotify_ReadyWhenListening()
    {
        Assert.Equal("notify", Single("Type"));
        Assert.Equal("on-failure", Single("Restart"));
    }

    [Fact]
    public void Service_BindsLowPortsAsDedicatedUser_NoOtherCapability()
    {
        Assert.Equal("pop3gw", Single("User"));
        Assert.Equal("CAP_NET_BIND_SERVICE", Single("AmbientCapabilities"));
        Assert.Equal("CAP_NET_BIND_SERVICE", Single("CapabilityBoundingSet"));
        Assert.Equal("true", Single("NoNewPrivileges"));
    }

    [Fact]
    public void Service_SettingsInEtc_DataInStateDirectory()
    {
        Assert.Equal("/etc/pop3gw", Single("WorkingDirectory"));
        Assert.Equal("pop3gw", Single("StateDirectory"));
        Assert.Contains("POP3GW__Storage__DataDirectory=/var/lib/pop3gw", Service["Environment"]);
        Assert.StartsWith("/opt/pop3gw/pop3gw serve", Single("ExecStart"), StringComparison.Ordinal);
        Assert.Equal("0077", Single("UMask"));
    }

    [Fact]
    public void Service_Hardened_WritesOnlyItsStateDirectory()
    {
        Assert.Equal("strict", Single("ProtectSystem"));
        Assert.Equal("true", Single("ProtectHome"));
        Assert.Equal("true", Single("PrivateTmp"));
        Assert.Equal("/var/lib/pop3gw", Single("ReadWritePaths"));
    }

    [Fact]
    public async Task SystemdAnalyzeVerify_Unit_NoComplaints()
    {
        var analyze = RequireTool("systemd-analyze", "systemd");
        // verify checks that ExecStart names an executable: point it at a stand-in, keep every other line as shipped.
        var directory = Directory.CreateTempSubdirectory("pop3gw-unit-").FullName;
        try
        {
            var executable = Path.Combine(directory, "pop3gw");
            await File.WriteAllTextAsync(executable, "#!/bin/sh\n");
            File.SetUnixFileMode(executable, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            var unit = Path.Combine(directory, "pop3gw.service");
            await File.WriteAllTextAsync(unit, (await File.ReadAllTextAsync(UnitPath)).Replace("/opt/pop3gw/pop3gw", executable, StringComparison.Ordinal));

            var result = await ProcessRunner.RunAsync(analyze, ["verify", unit]);

            Assert.True(result.ExitCode == 0 && result.Stderr.Trim().Length == 0 && result.Stdout.Trim().Length == 0, result.ToString());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Single(string key)
    {
        Assert.True(Service.TryGetValue(key, out var values), $"[Service] has no {key}=");
        return Assert.Single(values);
    }

    /// <summary>The KEY=VALUE lines of one [SECTION] of a unit file, by key (a key may repeat, e.g. Environment=).</summary>
    private static Dictionary<string, IReadOnlyList<string>> Section(IEnumerable<string> lines, string name)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        string? section = null;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = line[1..^1];
                continue;
            }
            var equals = line.IndexOf('=');
            if (section == name && equals > 0)
            {
                var key = line[..equals].Trim();
                (values.TryGetValue(key, out var list) ? list : values[key] = []).Add(line[(equals + 1)..].Trim());
            }
        }
        return values.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal);
    }

    private static string RequireTool(string command, string debianPackage) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, command))
            .FirstOrDefault(File.Exists)
        ?? throw new Xunit.Sdk.XunitException($"'{command}' is not installed; install the Debian package '{debianPackage}' (tests/run.sh does as root)");
}
