using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Pop3Gateway.Testing;

/// <summary>
/// A loopback TCP relay between clients and an upstream port, for network faults without root:
/// <see cref="Block"/> black-holes the connections of some clients, or all (open ones stop forwarding, new ones
/// are accepted but go nowhere; nothing is closed, so neither side hears of the partition) until <see cref="Heal"/>,
/// which delivers what was held back, as TCP does after a partition. <see cref="SlowDown"/> holds each chunk back
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
    private readonly HashSet<Link> _links = [];
    private Func<IPEndPoint, bool>? _blocked;
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

    /// <summary>
    /// Stops forwarding in both directions until <see cref="Heal"/> on the connections, open or new, of the clients
    /// <paramref name="which"/> picks by their endpoint (asked once per connection); null: of every client.
    /// </summary>
    public void Block(Func<IPEndPoint, bool>? which = null)
    {
        lock (_gateLock)
        {
            _blocked = which ?? (_ => true);
            foreach (var link in _links)
            {
                link.BlockIf(_blocked);
            }
        }
    }

    /// <summary>Forwards again, starting with what was held back.</summary>
    public void Heal()
    {
        lock (_gateLock)
        {
            _blocked = null;
            foreach (var link in _links)
            {
                link.Open();
            }
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
        var link = new Link((IPEndPoint)client.RemoteEndPoint!);
        using (client)
        {
            _open.TryAdd(client, 0);
            _open.TryAdd(upstream, 0);
            lock (_gateLock)
            {
                _links.Add(link);
                if (_blocked is { } blocked)
                {
                    link.BlockIf(blocked);
                }
            }
            try
            {
                await PassAsync(link, cancellationToken);
                await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort(), cancellationToken);
                await Task.WhenAll(PumpAsync(link, client, upstream, cancellationToken), PumpAsync(link, upstream, client, cancellationToken));
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
            {
                // Upstream refused (its process is down), a side reset, or the relay stopped: the client sees its connection end.
            }
            finally
            {
                lock (_gateLock)
                {
                    _links.Remove(link);
                }
                _open.TryRemove(client, out _);
                _open.TryRemove(upstream, out _);
            }
        }
    }

    /// <summary>Copies one direction chunk by chunk; its end is passed on as a half-close, a failure closes both sides.</summary>
    private async Task PumpAsync(Link link, Socket from, Socket to, CancellationToken cancellationToken)
    {
        var buffer = new byte[ChunkSize];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                await PassAsync(link, cancellationToken);
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

    /// <summary>Waits while the connection is blocked, then for this chunk's delay.</summary>
    private async Task PassAsync(Link link, CancellationToken cancellationToken)
    {
        Task gate;
        (TimeSpan Min, TimeSpan Max) delay;
        lock (_gateLock)
        {
            (gate, delay) = (link.Gate, _delay);
        }
        await gate.WaitAsync(cancellationToken);
        if (delay.Max > TimeSpan.Zero)
        {
            var ticks = Random.Shared.NextInt64(delay.Min.Ticks, delay.Max.Ticks + 1);
            await Task.Delay(TimeSpan.FromTicks(ticks), cancellationToken);
        }
    }

    /// <summary>One relayed connection: its client's endpoint and whether it forwards (a completed gate) or not.</summary>
    private sealed class Link(IPEndPoint client)
    {
        private TaskCompletionSource _gate = Opened();
        private bool? _picked;

        public Task Gate => _gate.Task;

        /// <summary>Blocks this connection when <paramref name="which"/> picks its client (asked once; call under the relay's lock).</summary>
        public void BlockIf(Func<IPEndPoint, bool> which)
        {
            _picked ??= which(client);
            if (_picked.Value && _gate.Task.IsCompleted)
            {
                _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        public void Open()
        {
            _picked = null;
            _gate.TrySetResult();
        }

        private static TaskCompletionSource Opened()
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            gate.SetResult();
            return gate;
        }
    }
}
