using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests;

/// <summary>
/// The server watches no files: the framework's default watch of the working directory (for
/// appsettings.json reloads, subfolders included) would wake on every file the store writes when the
/// data directory is below it, as it is by default (<c>./data</c>). Shares the Debian clients' server.
/// </summary>
[Collection(DebianClientsCollection.Name)]
public sealed class FileWatchTests(ServerFixture fixture)
{
    [Fact]
    public Task Serve_DataBelowWorkingDirectory_HoldsNoInotifyWatch() => fixture.GuardAsync(() =>
    {
        Assert.StartsWith(fixture.Server.Root + Path.DirectorySeparatorChar, fixture.Server.DataDirectory, StringComparison.Ordinal);

        var watches = Directory.EnumerateFileSystemEntries($"/proc/{fixture.Server.ProcessId}/fd")
            .Select(fd => new FileInfo(fd).LinkTarget)
            .Where(target => target is not null && target.Contains("inotify", StringComparison.Ordinal))
            .ToList();

        Assert.Empty(watches);
        return Task.CompletedTask;
    });
}
