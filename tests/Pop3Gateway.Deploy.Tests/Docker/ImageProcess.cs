using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Pop3Gateway.Deploy.Tests.Docker;

/// <summary>The image's ENTRYPOINT + arguments as a child process on this machine, with its output kept for failure messages.</summary>
public sealed class ImageProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly List<string> _log = [];
    private readonly Lock _logLock = new();
    private readonly Process _process;

    private ImageProcess(Process process) => _process = process;

    public bool HasExited => _process.HasExited;

    public static ImageProcess Start(IReadOnlyList<string> entrypoint, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        Assert.Equal("dotnet", entrypoint[0]);
        var info = new ProcessStartInfo(ImageFilesystem.DotnetPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in entrypoint.Skip(1).Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var inherited in info.Environment.Keys.Where(k => k.StartsWith("POP3GW__", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(inherited);
        }
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        var image = new ImageProcess(new Process { StartInfo = info });
        image._process.OutputDataReceived += (_, e) => image.Append(e.Data);
        image._process.ErrorDataReceived += (_, e) => image.Append(e.Data);
        image._process.Start();
        image._process.StandardInput.Close();
        image._process.BeginOutputReadLine();
        image._process.BeginErrorReadLine();
        return image;
    }

    /// <summary>SIGTERM, as Kubernetes and Docker stop a container; returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (!_process.HasExited && kill(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill -TERM {_process.Id} failed: errno {Marshal.GetLastPInvokeError()}");
        }
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    public string Log()
    {
        lock (_logLock)
        {
            return string.Join('\n', _log.TakeLast(60));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_logLock)
            {
                _log.Add(line);
            }
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
