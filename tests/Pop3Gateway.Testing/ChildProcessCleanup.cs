using System.Diagnostics;

namespace Pop3Gateway.Testing;

/// <summary>Ends a child process a test started and removes its temporary directory.</summary>
public static class ChildProcessCleanup
{
    public static async Task StopAndDeleteAsync(Process? process, string directory)
    {
        if (process is not null)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            process.Dispose();
        }
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is not worth failing a test run for.
        }
    }
}
