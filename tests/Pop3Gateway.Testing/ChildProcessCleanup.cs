using System.Diagnostics;

namespace Pop3Gateway.Testing;

/// <summary>Ends a child process a test started and removes its temporary directory.</summary>
public static class ChildProcessCleanup
{
    /// <summary>Waits for <paramref name="process"/> to exit; kills it after <paramref name="within"/>. True when it exited by itself.</summary>
    public static async Task<bool> ExitedWithinAsync(Process process, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync();
            return false;
        }
    }

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
