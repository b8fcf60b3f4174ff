using System.Diagnostics;

namespace Pop3Gateway.Testing;

/// <summary>Ends a child process a test started and removes its temporary directory.</summary>
public static class ChildProcessCleanup
{
    private static readonly List<Process> Running = [];
    private static bool _hooked;

    /// <summary>
    /// Kills <paramref name="process"/> (and its children) when the test process exits, should no test have stopped
    /// it: xunit skips a test class's <c>DisposeAsync</c> when its <c>InitializeAsync</c> failed, and a server left
    /// running would hold its ports and data after the run.
    /// </summary>
    public static void KillAtExit(Process process)
    {
        lock (Running)
        {
            Running.RemoveAll(HasEnded);
            Running.Add(process);
            if (!_hooked)
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) => KillRunning();
                _hooked = true;
            }
        }
    }

    private static void KillRunning()
    {
        lock (Running)
        {
            foreach (var process in Running.Where(p => !HasEnded(p)))
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Gone meanwhile.
                }
            }
        }
    }

    /// <summary>Exited, or disposed by its owner (which stopped it first).</summary>
    private static bool HasEnded(Process process)
    {
        try
        {
            return process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

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
