using System.Globalization;

namespace Pop3Bench;

/// <summary>Memory of many open sessions: PSS of the server's processes before and after, per session.</summary>
public sealed record IdleRun(int Wanted, int Held, long PssBeforeBytes, long PssAfterBytes, long Errors, double OpenSeconds)
{
    public double KilobytesPerSession => Held == 0 ? double.NaN : (PssAfterBytes - PssBeforeBytes) / 1024.0 / Held;
}

/// <summary>
/// <c>idle</c>: opens sessions and holds them. Logged-in sessions each open a distinct
/// account (our server holds one session per mailbox); connected sessions are greeted and
/// have sent USER. Every held session must still answer NOOP before they are closed.
/// Opening stops early when the machine's available memory falls below a floor.
/// </summary>
public static class IdleWorkload
{
    /// <summary>Stop opening sessions when less than this is available: other work shares the machine.</summary>
    private const long MemoryFloorBytes = 4L * 1024 * 1024 * 1024;

    private const int OpenConcurrency = 32;

    /// <param name="withMail">Accounts 0 to this - 1 have mail and their own passwords; the rest share <see cref="DataSet.IdlePassword"/>.</param>
    public static async Task<IdleRun> RunAsync(Target target, int sessions, bool loggedIn, int withMail, ErrorLog errors)
    {
        await Task.Delay(TimeSpan.FromSeconds(2));
        var before = target.Processes.PssBytes();
        var clients = new PopClient?[sessions];
        var next = -1;
        var stop = false;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var openers = Enumerable.Range(0, OpenConcurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while (!Volatile.Read(ref stop) && (i = Interlocked.Increment(ref next)) < sessions)
            {
                if (i % 500 == 0 && AvailableBytes() < MemoryFloorBytes)
                {
                    Volatile.Write(ref stop, true);
                    break;
                }
                var login = DataSet.Login(i);
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
                    var client = await PopClient.ConnectAsync(target.EndPoint, timeout.Token);
                    clients[i] = client;
                    if (loggedIn)
                    {
                        await client.LoginAsync(login, DataSet.Password(i, withMail), timeout.Token);
                        await client.CommandAsync("STAT", timeout.Token);
                    }
                    else
                    {
                        await client.CommandAsync($"USER {login}", timeout.Token);
                    }
                }
                catch (Exception e)
                {
                    errors.Add($"open {i}: {e.GetType().Name}: {e.Message}");
                }
            }
        })).ToArray();
        await Task.WhenAll(openers);
        var openSeconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(3));
        var after = target.Processes.PssBytes();

        var held = 0;
        await Parallel.ForEachAsync(clients.Select((c, i) => (c, i)), new ParallelOptions { MaxDegreeOfParallelism = OpenConcurrency }, async (item, _) =>
        {
            if (item.c is null)
            {
                return;
            }
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
                if (loggedIn)
                {
                    await item.c.CommandAsync("NOOP", timeout.Token);
                }
                else
                {
                    // NOOP is a TRANSACTION command (RFC 1939); CAPA is valid in every state.
                    await item.c.CommandAsync("CAPA", timeout.Token);
                    await item.c.CountListingAsync(timeout.Token);
                }
                Interlocked.Increment(ref held);
            }
            catch (Exception e)
            {
                errors.Add($"noop {item.i}: {e.GetType().Name}: {e.Message}");
            }
        });
        foreach (var client in clients)
        {
            if (client is not null)
            {
                await client.DisposeAsync();
            }
        }
        return new IdleRun(sessions, held, before, after, errors.Count, openSeconds);
    }

    private static long AvailableBytes()
    {
        foreach (var line in File.ReadLines("/proc/meminfo"))
        {
            if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
            {
                return long.Parse(line["MemAvailable:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }
        return long.MaxValue;
    }
}
