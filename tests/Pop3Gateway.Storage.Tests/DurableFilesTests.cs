using Pop3Gateway.Storage.Embedded;

namespace Pop3Gateway.Storage.Tests;

public sealed class DurableFilesTests
{
    [Fact]
    public void SyncDirectory_OnLinux_SyncsAnExistingDirectory()
    {
        using var directory = new TempDirectory();

        var synced = DurableFiles.SyncDirectory(directory.Path);

        Assert.Equal(OperatingSystem.IsLinux(), synced);
    }

    [Fact]
    public void Publish_ReplacesTarget_AndRemovesTemp()
    {
        using var directory = new TempDirectory();
        var target = Path.Combine(directory.Path, "target");
        File.WriteAllText(target, "old");
        var temp = DurableFiles.NewTempPath(directory.Path);
        File.WriteAllText(temp, "new");

        DurableFiles.Publish(temp, target, overwrite: true);

        Assert.Equal("new", File.ReadAllText(target));
        Assert.False(File.Exists(temp));
    }

    [Fact]
    public void IsMissing_AbsentFileOrDirectory_True()
    {
        using var directory = new TempDirectory();

        Assert.True(DurableFiles.IsMissing(Path.Combine(directory.Path, "absent")));
        Assert.True(DurableFiles.IsMissing(Path.Combine(directory.Path, "absent-dir", "file")));
    }

    [Fact]
    public void IsMissing_ExistingFile_False()
    {
        using var directory = new TempDirectory();
        var file = Path.Combine(directory.Path, "present");
        File.WriteAllText(file, "x");

        Assert.False(DurableFiles.IsMissing(file));
    }

    [Fact]
    public void IsMissing_PathThroughAFile_True()
    {
        using var directory = new TempDirectory();
        var file = Path.Combine(directory.Path, "present");
        File.WriteAllText(file, "x");

        Assert.True(DurableFiles.IsMissing(Path.Combine(file, "below")));
    }
}
