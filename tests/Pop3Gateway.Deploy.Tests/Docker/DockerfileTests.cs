using Pop3Gateway.Deploy.Tests.Infrastructure;

namespace Pop3Gateway.Deploy.Tests.Docker;

/// <summary>
/// Static checks on deploy/docker/Dockerfile. No Docker engine runs here: the image itself is
/// not built by the tests; <see cref="PublishedImageTests"/> runs its publish step and entrypoint.
/// </summary>
public sealed class DockerfileTests
{
    /// <summary>The container settings the roles, the image and the manifests agree on (DESIGN.md, "Default ports").</summary>
    public static readonly IReadOnlyDictionary<string, string> ContractEnvironment = new Dictionary<string, string>
    {
        ["POP3GW__Pop3__Address"] = "0.0.0.0",
        ["POP3GW__Pop3__Port"] = "110",
        ["POP3GW__Pop3__TlsPort"] = "995",
        ["POP3GW__Lmtp__Address"] = "0.0.0.0",
        ["POP3GW__Lmtp__Port"] = "24",
        ["POP3GW__Management__Address"] = "0.0.0.0",
        ["POP3GW__Orleans__ListenOnAnyAddress"] = "true",
        ["POP3GW__Storage__DataDirectory"] = "/var/lib/pop3gw",
    };

    private static readonly Dockerfile Spec = Dockerfile.Load(Repository.Dockerfile);

    [Fact]
    public void Stages_BuildWithSdkRunOnAspNetRuntime()
    {
        Assert.True(Spec.Stages.Count >= 2, "multi-stage: a build stage and a runtime stage");
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", Spec.Build.Image);
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", Spec.Runtime.Image);
        Assert.Contains(Spec.Build.All("RUN"), r => r.Arguments.StartsWith("dotnet publish src/Pop3Gateway.Host/", StringComparison.Ordinal));
        var fromBuild = Spec.Runtime.All("COPY").Where(c => c.Words.Contains($"--from={Spec.Build.Name}")).ToList();
        Assert.Single(fromBuild);
        Assert.DoesNotContain(Spec.Runtime.All("RUN"), r => r.Arguments.Contains("dotnet publish", StringComparison.Ordinal));
    }

    [Fact]
    public void User_IsNumericAndNotRoot()
    {
        var user = Spec.Runtime.Last("USER")?.Arguments ?? "";
        var parts = user.Split(':');
        Assert.All(parts, p => Assert.True(int.TryParse(p, out var id) && id > 0, $"USER '{user}' must be a numeric, non-root uid[:gid]"));
        // The last USER must come after every RUN: nothing after it runs as root.
        var instructions = Spec.Runtime.Instructions.ToList();
        Assert.True(instructions.FindLastIndex(i => i.Keyword == "USER") > instructions.FindLastIndex(i => i.Keyword == "RUN"));
    }

    [Fact]
    public void DataDirectory_IsCreatedAndOwnedByTheUser()
    {
        var uid = Spec.Runtime.Last("USER")!.Arguments.Split(':')[0];
        var dataDirectory = Spec.Runtime.Environment()["POP3GW__Storage__DataDirectory"];
        var run = string.Join(" && ", Spec.Runtime.All("RUN").Select(r => r.Arguments));
        Assert.Contains($"mkdir -p {dataDirectory}", run);
        Assert.Matches($@"chown {uid}(:\d+)? {dataDirectory}\b", run);
    }

    [Fact]
    public void Environment_HasTheContainerSettingsOfTheContract()
    {
        var environment = Spec.Runtime.Environment();
        foreach (var (key, value) in ContractEnvironment)
        {
            Assert.True(environment.TryGetValue(key, out var actual), $"ENV {key} is missing");
            Assert.Equal(value, actual);
        }
    }

    [Fact]
    public void Expose_ListsExactlyThePortsTheEnvironmentConfigures()
    {
        var ports = Spec.Runtime.Environment()
            .Where(e => e.Key.StartsWith("POP3GW__", StringComparison.Ordinal) && e.Key.EndsWith("Port", StringComparison.Ordinal))
            .Select(e => int.Parse(e.Value))
            .ToHashSet();
        Assert.Equal([24, 110, 995, 8080, 11111, 30000], ports.Order());
        Assert.Equal(ports.Order(), Spec.Runtime.ExposedPorts().Order());
    }

    [Fact]
    public void Entrypoint_RunsPop3gwAndServesByDefault()
    {
        Assert.Equal(["dotnet", "pop3gw.dll"], Spec.Runtime.Last("ENTRYPOINT")!.JsonArray);
        Assert.Equal(["serve"], Spec.Runtime.Last("CMD")!.JsonArray);
    }

    [Fact]
    public void DockerIgnore_KeepsBuildOutputOutOfTheContext()
    {
        var ignored = File.ReadAllLines(Path.Combine(Repository.Root, ".dockerignore"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
        // src/ and the build files are what the build stage copies: they must stay in the context.
        Assert.DoesNotContain(ignored, l => l.TrimEnd('/') is "src" or "Directory.Packages.props" or "Directory.Build.props" or "global.json");
    }
}
