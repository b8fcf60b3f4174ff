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

    private const int ReadOnly = 0;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
