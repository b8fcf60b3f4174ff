namespace Pop3Gateway.Integration.Tests.Infrastructure;

/// <summary>
/// The Debian mail clients the end-to-end tests drive. A missing client is a test failure,
/// never a skip: tests/run.sh installs them, and CI must not pass without having run them.
/// </summary>
public static class ExternalTool
{
    public static string Require(string command, string debianPackage)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, command))
            .FirstOrDefault(File.Exists);
        if (path is null)
        {
            var ci = Environment.GetEnvironmentVariable("CI") is "true" or "1" ? " (CI=true: a missing client fails the build)" : "";
            Assert.Fail($"'{command}' is not installed; install the Debian package '{debianPackage}' (tests/run.sh does as root){ci}");
        }
        return path!;
    }
}
