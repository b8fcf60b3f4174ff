using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests.Security;

/// <summary>
/// A local user who cannot read the data directory cannot administer: the CLI run as uid 65534 against a
/// root-only data directory exits 2 with one line and sends nothing.
/// </summary>
public sealed class AdminCredentialTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Nobody = "65534";

    [Fact]
    public Task AccountPasswd_UserWhoCannotReadCredential_ExitTwoAndUnchanged() => fixture.GuardAsync(async () =>
    {
        Assert.True(Environment.UserName == "root", "this test switches to uid 65534 and needs to run as root");
        var account = await fixture.CreateAccountAsync("nobodypw");
        File.SetUnixFileMode(fixture.Server.DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var binaries = CopyReadable(fixture.NewScratchDirectory("bin"));
        var environment = new Dictionary<string, string>(fixture.Server.Environment) { ["HOME"] = binaries };

        var result = await ProcessRunner.RunAsync("setpriv",
            [$"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", ServerProcess.DotnetPath, Path.Combine(binaries, "pop3gw.dll"),
                "account", "passwd", account.Login, "--password-stdin"],
            environment, "taken-over-1\n", binaries);

        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("cannot read the admin credential", line);
        using var pop3 = await MailKitSession.LoginAsync(fixture.Pop3Port, account.Login, account.Password);
        Assert.True(pop3.IsAuthenticated);
        Assert.DoesNotContain($"account passwd {account.Login}", fixture.Server.LogTail(4000));
    });

    /// <summary>
    /// The silo refuses an admin call signed by a clock 15 minutes ahead (the token is checked against the silo's
    /// clock, 5 minutes each way): the CLI says so in one line and exits 1, nothing changes.
    /// </summary>
    [Fact]
    public Task AccountPasswd_CallerClockFarAhead_RefusedWithOneLineExitOne() => fixture.GuardAsync(async () =>
    {
        var account = await fixture.CreateAccountAsync("skewedadmin");
        var environment = new Dictionary<string, string>(fixture.Server.Environment) { ["FAKETIME_DONT_FAKE_MONOTONIC"] = "1" };

        var result = await ProcessRunner.RunAsync("faketime",
            ["-f", "+15m", ServerProcess.DotnetPath, Path.Combine(AppContext.BaseDirectory, "pop3gw.dll"), "account", "passwd", account.Login, "--password-stdin"],
            environment, "taken-over-2\n", fixture.NewScratchDirectory("skewed"));

        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("pop3gw: the cluster refused the call: ", line);
        using var pop3 = await MailKitSession.LoginAsync(fixture.Pop3Port, account.Login, account.Password);
        Assert.True(pop3.IsAuthenticated);
    });

    /// <summary>The server's binaries copied into <paramref name="target"/> (under the server's temporary root), readable by every user.</summary>
    private static string CopyReadable(string target)
    {
        foreach (var file in Directory.GetFiles(AppContext.BaseDirectory, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(AppContext.BaseDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        foreach (var path in Directory.GetFileSystemEntries(target, "*", SearchOption.AllDirectories).Append(target))
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        return target;
    }
}
