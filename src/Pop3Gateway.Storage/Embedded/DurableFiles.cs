using System.Runtime.InteropServices;

namespace Pop3Gateway.Storage.Embedded;

/// <summary>File-system steps shared by the embedded stores: atomic replace and directory fsync.</summary>
internal static partial class DurableFiles
{
    /// <summary>Prefix of temporary files; names starting with '.' never collide with ids or keys.</summary>
    public const string TempPrefix = ".tmp-";

    public static string NewTempPath(string directory) =>
        Path.Combine(directory, TempPrefix + Guid.NewGuid().ToString("N"));

    /// <summary>Moves a fully written and flushed temp file into place, then makes the rename durable.</summary>
    public static void Publish(string tempPath, string finalPath, bool overwrite)
    {
        File.Move(tempPath, finalPath, overwrite);
        _ = SyncDirectory(Path.GetDirectoryName(finalPath)!);
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// fsyncs a directory so a rename in it survives a power loss. .NET cannot open a directory
    /// as a file handle (File.OpenHandle refuses directories), so on Linux this calls libc directly;
    /// elsewhere it is skipped (Windows makes renames durable through NTFS journaling).
    /// Returns whether the directory was synced.
    /// </summary>
    public static bool SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        var fd = Open(directory, ReadOnly);
        if (fd < 0)
        {
            return false;
        }
        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory '{directory}' failed with errno {Marshal.GetLastPInvokeError()}");
            }
            return true;
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>
    /// Whether <paramref name="path"/> certainly does not exist: a check far cheaper than the exception of
    /// an open that fails. False when unsure (off Linux, or a stat that fails for another reason such as
    /// permissions), so the caller's open reports that error as before.
    /// </summary>
    public static bool IsMissing(string path) =>
        OperatingSystem.IsLinux() && Access(path, ExistenceOnly) != 0 && Marshal.GetLastPInvokeError() is NoSuchEntry or NotADirectory;

    /// <summary>
    /// Writes back every dirty file, directory and inode of the file system that holds
    /// <paramref name="path"/> (Linux <c>syncfs</c>); <see cref="GroupCommit"/> uses it on Linux only.
    /// </summary>
    public static void SyncFileSystem(string path)
    {
        var fd = Open(path, ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"cannot open '{path}' to sync its file system: errno {Marshal.GetLastPInvokeError()}");
        }
        try
        {
            if (SyncFs(fd) != 0)
            {
                throw new IOException($"syncfs of the file system of '{path}' failed with errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private const int ReadOnly = 0;
    private const int ExistenceOnly = 0;
    private const int NoSuchEntry = 2;
    private const int NotADirectory = 20;

    [LibraryImport("libc", EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Access(string path, int mode);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int SyncFs(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
