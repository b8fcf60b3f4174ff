using System.Runtime.InteropServices;

namespace Pop3Gateway.Testing;

/// <summary>POSIX signals to child processes: SIGTERM lets a server drain and save, SIGKILL gives it no chance.</summary>
public static class Signals
{
    public const int Kill = 9;
    public const int Term = 15;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when the process is already gone.</summary>
    public static bool TrySend(int pid, int signal) => kill(pid, signal) == 0;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>, or throws with the errno.</summary>
    public static void Send(int pid, int signal)
    {
        if (!TrySend(pid, signal))
        {
            throw new InvalidOperationException($"kill -{signal} {pid} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
