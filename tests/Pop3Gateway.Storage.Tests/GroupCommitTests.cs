using Pop3Gateway.Storage.Embedded;

namespace Pop3Gateway.Storage.Tests;

public sealed class GroupCommitTests
{
    [Fact]
    public async Task PublishAsync_ManyFilesAtOnce_AllLandInFewerRounds()
    {
        using var directory = new TempDirectory();
        var commit = new GroupCommit(directory.Path);
        const int files = 64;
        var temps = Enumerable.Range(0, files).Select(i => WriteTemp(directory.Path, $"content {i}")).ToList();

        await Task.WhenAll(temps.Select((temp, i) => commit.PublishAsync(temp, Path.Combine(directory.Path, $"file{i}"), overwrite: true)));

        for (var i = 0; i < files; i++)
        {
            Assert.Equal($"content {i}", File.ReadAllText(Path.Combine(directory.Path, $"file{i}")));
        }
        Assert.DoesNotContain(Directory.EnumerateFiles(directory.Path), f => Path.GetFileName(f).StartsWith(DurableFiles.TempPrefix, StringComparison.Ordinal));
        if (OperatingSystem.IsLinux())
        {
            Assert.InRange(commit.Rounds, 1, files - 1);
        }
    }

    [Fact]
    public async Task PublishAsync_TargetExistsWithoutOverwrite_FailsThatFileOnly()
    {
        using var directory = new TempDirectory();
        var commit = new GroupCommit(directory.Path);
        var existing = Path.Combine(directory.Path, "existing");
        File.WriteAllText(existing, "old");
        var refused = WriteTemp(directory.Path, "new");
        var accepted = WriteTemp(directory.Path, "other");

        var refusal = commit.PublishAsync(refused, existing, overwrite: false);
        var acceptance = commit.PublishAsync(accepted, Path.Combine(directory.Path, "fresh"), overwrite: false);

        await Assert.ThrowsAsync<IOException>(() => refusal);
        await acceptance;
        Assert.Equal("old", File.ReadAllText(existing));
        Assert.Equal("other", File.ReadAllText(Path.Combine(directory.Path, "fresh")));
        Assert.True(File.Exists(refused), "the refused temp file stays for its writer to delete");
    }

    [Fact]
    public async Task PublishAsync_TempFileMissing_FailsWithIOException()
    {
        using var directory = new TempDirectory();
        var commit = new GroupCommit(directory.Path);

        await Assert.ThrowsAnyAsync<IOException>(() =>
            commit.PublishAsync(Path.Combine(directory.Path, DurableFiles.TempPrefix + "gone"), Path.Combine(directory.Path, "target"), overwrite: true));

        Assert.False(File.Exists(Path.Combine(directory.Path, "target")));
    }

    [Fact]
    public async Task PublishAsync_RootCannotBeOpened_FailsTheRoundAndMovesNothing()
    {
        using var directory = new TempDirectory();
        var commit = new GroupCommit(Path.Combine(directory.Path, "missing-root"));
        var temp = WriteTemp(directory.Path, "content");

        var error = await Assert.ThrowsAsync<IOException>(() => commit.PublishAsync(temp, Path.Combine(directory.Path, "target"), overwrite: true));

        Assert.Contains("missing-root", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(directory.Path, "target")));
        Assert.True(File.Exists(temp));
    }

    [Fact]
    public async Task PublishAsync_AfterAFailedRound_NextRoundStillRuns()
    {
        using var directory = new TempDirectory();
        var commit = new GroupCommit(directory.Path);
        await Assert.ThrowsAnyAsync<IOException>(() =>
            commit.PublishAsync(Path.Combine(directory.Path, DurableFiles.TempPrefix + "gone"), Path.Combine(directory.Path, "a"), overwrite: true));
        var temp = WriteTemp(directory.Path, "later");

        await commit.PublishAsync(temp, Path.Combine(directory.Path, "b"), overwrite: true);

        Assert.Equal("later", File.ReadAllText(Path.Combine(directory.Path, "b")));
    }

    private static string WriteTemp(string directory, string content)
    {
        var temp = DurableFiles.NewTempPath(directory);
        File.WriteAllText(temp, content);
        return temp;
    }
}
