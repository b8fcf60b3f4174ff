using Pop3Gateway.Abstractions.Storage;
using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests.Security;

/// <summary><c>pop3gw cert dev</c> and <c>cert cluster</c> as a user runs them: files born 0600 in a 0700 directory, an existing key kept unless <c>--force</c>.</summary>
public sealed class CertCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"pop3gw-certcmd-{Guid.NewGuid():N}");

    public CertCommandTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Tls => Path.Combine(_directory, "data", "tls");

    private Task<ProcessResult> CertDevAsync(params string[] options) => CertAsync("dev", options);

    private Task<ProcessResult> CertAsync(string kind, params string[] options) => ServerProcess.RunCliAsync(
        new Dictionary<string, string> { ["POP3GW__Storage__DataDirectory"] = Path.Combine(_directory, "data") }, _directory,
        ["cert", kind, .. options]);

    [Fact]
    public async Task CertDev_KeyExists_RefusedWithoutForceReplacedWithForce_Always0600()
    {
        var first = await CertDevAsync();
        Assert.True(first.ExitCode == 0, first.ToString());
        var key = Path.Combine(Tls, "dev-key.pem");
        var original = await File.ReadAllTextAsync(key);
        AssertOwnerOnly();

        var again = await CertDevAsync();

        Assert.Equal(1, again.ExitCode);
        Assert.Equal($"pop3gw: {key} exists; pass --force to replace the key and certificate", again.Stderr.Trim());
        Assert.Equal(original, await File.ReadAllTextAsync(key));

        var forced = await CertDevAsync("--force");

        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.NotEqual(original, await File.ReadAllTextAsync(key));
        AssertOwnerOnly();
    }

    [Fact]
    public async Task CertCluster_FolderExists_RefusedWithoutForceReplacedWithForce()
    {
        var first = await CertAsync("cluster");
        Assert.True(first.ExitCode == 0, first.ToString());
        var caKey = Path.Combine(_directory, "data", "cluster", "ca-key.pem");
        var original = await File.ReadAllTextAsync(caKey);
        Assert.Equal(PrivateFiles.OwnerOnlyFile, File.GetUnixFileMode(caKey));

        var again = await CertAsync("cluster");

        Assert.Equal(1, again.ExitCode);
        Assert.Contains("exists already; pass --force", again.Stderr);
        Assert.Equal(original, await File.ReadAllTextAsync(caKey));

        var forced = await CertAsync("cluster", "--force");

        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.NotEqual(original, await File.ReadAllTextAsync(caKey));
        Assert.Equal(PrivateFiles.OwnerOnlyFile, File.GetUnixFileMode(caKey));
    }

    private void AssertOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Unix file modes");
        }
        Assert.Equal(PrivateFiles.OwnerOnlyDirectory, File.GetUnixFileMode(Tls));
        Assert.Equal(PrivateFiles.OwnerOnlyDirectory, File.GetUnixFileMode(Path.GetDirectoryName(Tls)!));
        Assert.Equal(PrivateFiles.OwnerOnlyFile, File.GetUnixFileMode(Path.Combine(Tls, "dev-key.pem")));
        Assert.Equal(PrivateFiles.OwnerOnlyFile, File.GetUnixFileMode(Path.Combine(Tls, "dev-cert.pem")));
    }
}
