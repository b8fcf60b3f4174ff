using System.Globalization;

namespace Pop3Bench;

/// <summary>
/// The processes of one server under test, found from its root pid (Dovecot: the master
/// and all its descendants), and what /proc says about them: PSS, RSS, CPU time.
/// </summary>
public sealed class ServerProcesses(string name, int rootPid)
{
    private static readonly double TicksPerSecond = 100.0;

    public string Name { get; } = name;

    public IReadOnlyList<int> Pids()
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                parents[pid] = ParentOf(File.ReadAllText(Path.Combine(dir, "stat")));
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }
        var result = new List<int> { rootPid };
        for (var i = 0; i < result.Count; i++)
        {
            foreach (var (pid, parent) in parents)
            {
                if (parent == result[i])
                {
                    result.Add(pid);
                }
            }
        }
        return result;
    }

    /// <summary>Proportional set size summed over the processes, in bytes.</summary>
    public long PssBytes() => SumKb("smaps_rollup", "Pss:") * 1024;

    /// <summary>Resident set size summed over the processes, in bytes (shared pages counted per process).</summary>
    public long RssBytes() => SumKb("status", "VmRSS:") * 1024;

    /// <summary>User plus system CPU time of the processes, plus what the root reaped from ended children.</summary>
    public double CpuSeconds()
    {
        double ticks = 0;
        foreach (var pid in Pids())
        {
            try
            {
                var fields = AfterCommand(File.ReadAllText($"/proc/{pid}/stat"));
                // Fields after the command: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14).
                ticks += double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
                if (pid == rootPid)
                {
                    ticks += double.Parse(fields[13], CultureInfo.InvariantCulture) + double.Parse(fields[14], CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
            }
        }
        return ticks / TicksPerSecond;
    }

    private long SumKb(string file, string key)
    {
        long total = 0;
        foreach (var pid in Pids())
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{pid}/{file}"))
                {
                    if (line.StartsWith(key, StringComparison.Ordinal))
                    {
                        total += long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                        break;
                    }
                }
            }
            catch (IOException)
            {
            }
        }
        return total;
    }

    private static int ParentOf(string stat) => int.Parse(AfterCommand(stat)[1], CultureInfo.InvariantCulture);

    private static string[] AfterCommand(string stat) => stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
}
