using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Pop3Gateway.Testing;

/// <summary>
/// A loopback TCP relay between a client and an upstream port, for network faults without root:
/// <see cref="Block"/> black-holes every connection (open ones stop forwarding, new ones are accepted but
/// go nowhere; nothing is closed, so neither side hears of the partition) until <see cref="Heal"/>, which
/// delivers what was held back, as TCP does after a partition. <see cref="SlowDown"/> holds each chunk back
/// for a random time in a range (a slow link or a slow server). The upstream port is asked for on every
/// new connection, so a relay can be started before the process behind it has chosen its port.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    /// <summary>Bytes read in one go: a chunk is forwarded (and delayed) as one unit.</summary>
    private const int ChunkSize = 16 * 1024;

    private readonly Func<int> _upstreamPort;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private readonly Task _accepting;
    private readonly Lock _gateLock = new();
    private TaskCompletionSource _gate = Opened();
    private (TimeSpan Min, TimeSpan Max) _delay;

    public TcpRelay(Func<int> upstreamPort)
    {
        _upstreamPort = upstreamPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync(_stopping.Token);
    }

    /// <summary>The loopback port clients connect to.</summary>
    public int Port { get; }

    /// <summary>Connections open through the relay now.</summary>
    public int OpenConnections => _open.Count / 2;

    /// <summary>Stops forwarding in both directions on every connection, open or new, until <see cref="Heal"/>.</summary>
    public void Block()
    {
        lock (_gateLock)
        {
            if (_gate.Task.IsCompleted)
            {
                _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>Forwards again, starting with what was held back.</summary>
    public void Heal()
    {
        lock (_gateLock)
        {
            _gate.TrySetResult();
        }
    }

    /// <summary>Holds each chunk back for a random time from <paramref name="min"/> to <paramref name="max"/>; zeros: no delay.</summary>
    public void SlowDown(TimeSpan min, TimeSpan max)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(min, max);
        lock (_gateLock)
        {
            _delay = (min, max);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        foreach (var socket in _open.Keys)
        {
            socket.Dispose();
        }
        await _accepting;
        _stopping.Dispose();
    }

    private static TaskCompletionSource Opened()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = RelayAsync(client, cancellationToken);
        }
    }

    private async Task RelayAsync(Socket client, CancellationToken cancellationToken)
    {
        using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using (client)
        {
            _open.TryAdd(client, 0);
            _open.TryAdd(upstream, 0);
            try
            {
                await PassAsync(cancellationToken);
                await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort(), cancellationToken);
                await Task.WhenAll(PumpAsync(client, upstream, cancellationToken), PumpAsync(upstream, client, cancellationToken));
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
            {
                // Upstream refused (its process is down), a side reset, or the relay stopped: the client sees its connection end.
            }
            finally
            {
                _open.TryRemove(client, out _);
                _open.TryRemove(upstream, out _);
            }
        }
    }

    /// <summary>Copies one direction chunk by chunk; its end is passed on as a half-close, a failure closes both sides.</summary>
    private async Task PumpAsync(Socket from, Socket to, CancellationToken cancellationToken)
    {
        var buffer = new byte[ChunkSize];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                await PassAsync(cancellationToken);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }
                var sent = 0;
                while (sent < read)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None, cancellationToken);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            from.Dispose();
            to.Dispose();
        }
    }

    /// <summary>Waits while the relay is blocked, then for this chunk's delay.</summary>
    private async Task PassAsync(CancellationToken cancellationToken)
    {
        Task gate;
        (TimeSpan Min, TimeSpan Max) delay;
        lock (_gateLock)
        {
            (gate, delay) = (_gate.Task, _delay);
        }
        await gate.WaitAsync(cancellationToken);
        if (delay.Max > TimeSpan.Zero)
        {
            var ticks = Random.Shared.NextInt64(delay.Min.Ticks, delay.Max.Ticks + 1);
            await Task.Delay(TimeSpan.FromTicks(ticks), cancellationToken);
        }
    }
}
