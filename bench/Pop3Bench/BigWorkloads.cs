using System.Diagnostics;
using System.Globalization;

namespace Pop3Bench;

public sealed record BigMessageRun(long Octets, double Seconds, long PeakRssGrowthBytes)
{
    public double MegabytesPerSecond => Octets / Seconds / 1e6;
}

public sealed record BigBoxRun(int Messages, double LoginStatMs, double UidlMs);

/// <summary><c>bigmsg</c> (one RETR of a huge message) and <c>bigbox</c> (a mailbox with very many messages).</summary>
public static class BigWorkloads
{
    public const string BigMessageAccount = "bigmsg";
    public const string BigBoxAccount = "bigbox";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static async Task<BigMessageRun> BigMessageAsync(Target target)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await using var client = await PopClient.ConnectAsync(target.EndPoint, timeout.Token);
        await client.LoginAsync(BigMessageAccount, DataSet.Password(BigMessageAccount), timeout.Token);
        var size = long.Parse((await client.CommandAsync("LIST 1", timeout.Token)).Split(' ')[2], CultureInfo.InvariantCulture);
        var baseline = target.Processes.RssBytes();
        var peak = baseline;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, target.Processes.RssBytes());
                await Task.Delay(5);
            }
        });
        var started = Stopwatch.GetTimestamp();
        await client.CommandAsync("RETR 1", timeout.Token);
        var octets = await client.ReadBodyAsync(timeout.Token);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await sampling.CancelAsync();
        await sampler;
        await client.CommandAsync("QUIT", timeout.Token);
        if (octets != size)
        {
            throw new PopException($"RETR 1 sent {octets} octets, LIST said {size}");
        }
        return new BigMessageRun(octets, seconds, peak - baseline);
    }

    public static async Task<BigBoxRun> BigBoxAsync(Target target, int expected)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var started = Stopwatch.GetTimestamp();
        await using var client = await PopClient.ConnectAsync(target.EndPoint, timeout.Token);
        await client.LoginAsync(BigBoxAccount, DataSet.Password(BigBoxAccount), timeout.Token);
        var count = int.Parse((await client.CommandAsync("STAT", timeout.Token)).Split(' ')[1], CultureInfo.InvariantCulture);
        var loginStat = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var uidlStart = Stopwatch.GetTimestamp();
        await client.CommandAsync("UIDL", timeout.Token);
        var listed = await client.CountListingAsync(timeout.Token);
        var uidl = Stopwatch.GetElapsedTime(uidlStart).TotalMilliseconds;
        await client.CommandAsync("QUIT", timeout.Token);
        if (count != expected || listed != expected)
        {
            throw new PopException($"STAT says {count}, UIDL lists {listed}, expected {expected}");
        }
        return new BigBoxRun(count, loginStat, uidl);
    }
}
