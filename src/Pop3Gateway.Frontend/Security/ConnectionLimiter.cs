using System.Collections.Concurrent;

namespace Pop3Gateway.Frontend.Security;

/// <summary>Counts open connections in total, per client address and per account on this front-end.</summary>
public sealed class ConnectionLimiter(LimitsOptions limits)
{
    private readonly ConcurrentDictionary<string, int> _perAddress = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _perAccount = new(StringComparer.Ordinal);
    private int _total;

    public int Total => Volatile.Read(ref _total);

    /// <summary>Takes a connection slot for <paramref name="address"/>; null when a limit is reached.</summary>
    public IDisposable? TryOpenConnection(string address)
    {
        if (Interlocked.Increment(ref _total) > limits.MaxConnections)
        {
            Interlocked.Decrement(ref _total);
            return null;
        }

        if (!TryIncrement(_perAddress, address, limits.MaxConnectionsPerIp))
        {
            Interlocked.Decrement(ref _total);
            return null;
        }

        return new Slot(() =>
        {
            Decrement(_perAddress, address);
            Interlocked.Decrement(ref _total);
        });
    }

    /// <summary>Takes a session slot for <paramref name="login"/>; null when the account has too many.</summary>
    public IDisposable? TryOpenSession(string login)
        => TryIncrement(_perAccount, login, limits.MaxConnectionsPerAccount) ? new Slot(() => Decrement(_perAccount, login)) : null;

    private static bool TryIncrement(ConcurrentDictionary<string, int> counts, string key, int limit)
    {
        while (true)
        {
            var current = counts.GetOrAdd(key, 0);
            if (current >= limit)
            {
                return false;
            }

            if (counts.TryUpdate(key, current + 1, current))
            {
                return true;
            }
        }
    }

    private static void Decrement(ConcurrentDictionary<string, int> counts, string key)
    {
        while (true)
        {
            if (!counts.TryGetValue(key, out var current))
            {
                return;
            }

            if (current <= 1)
            {
                // Removes the entry only if nobody incremented it meanwhile.
                if (counts.TryRemove(new KeyValuePair<string, int>(key, current)))
                {
                    return;
                }
            }
            else if (counts.TryUpdate(key, current - 1, current))
            {
                return;
            }
        }
    }

    private sealed class Slot(Action release) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                release();
            }
        }
    }
}
