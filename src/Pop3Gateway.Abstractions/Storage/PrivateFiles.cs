namespace Pop3Gateway.Abstractions.Storage;

/// <summary>
/// Creates files readable only by the service user (0600) and directories only it can enter (0700),
/// with the mode given at creation: there is no moment when another local user could open them.
/// Mail, state, spool and key files all go through here. On Windows the ACLs of the parent apply.
/// </summary>
public static class PrivateFiles
{
    /// <summary>rw------- : owner read and write.</summary>
    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>rwx------ : owner only.</summary>
    public const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> and any missing parents as 0700; an existing directory is left as it is.</summary>
    public static DirectoryInfo CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return Directory.CreateDirectory(path);
        }
        // Directory.CreateDirectory(path, mode) gives the mode to the last directory only, not to the parents it creates.
        var missing = new Stack<string>();
        for (var current = Path.GetFullPath(path); !Directory.Exists(current); current = Path.GetDirectoryName(current)!)
        {
            missing.Push(current);
        }
        while (missing.TryPop(out var directory))
        {
            Directory.CreateDirectory(directory, OwnerOnlyDirectory);
        }
        return new DirectoryInfo(path);
    }

    /// <summary>Opens a new file for writing, created 0600; fails with <see cref="IOException"/> when it exists.</summary>
    public static FileStream CreateNew(string path, int bufferSize = 4096, FileOptions options = FileOptions.None, FileShare share = FileShare.None)
    {
        var streamOptions = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = share,
            BufferSize = bufferSize,
            Options = options,
        };
        if (!OperatingSystem.IsWindows())
        {
            streamOptions.UnixCreateMode = OwnerOnlyFile;
        }
        return new FileStream(path, streamOptions);
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8) to a new 0600 file; fails when it exists.</summary>
    public static async Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken)
    {
        await using var file = CreateNew(path);
        await using var writer = new StreamWriter(file);
        await writer.WriteAsync(text.AsMemory(), cancellationToken);
    }
}
