using System.Net.Sockets;
using System.Text;

namespace Pop3Gateway.Integration.Tests.Operations;

/// <summary>
/// A stand-in for systemd's notification socket: a Unix datagram socket the server finds in <c>NOTIFY_SOCKET</c>.
/// It keeps every message, and on <c>READY=1</c> at once checks whether the POP3 port accepts a connection.
/// </summary>
public sealed class NotifySocket : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly List<string> _messages = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;

    public NotifySocket()
    {
        // sun_path holds 108 bytes: a short name under /tmp, not the test's deep temp directory.
        Path = System.IO.Path.Combine("/tmp", $"pop3gw-notify-{Guid.NewGuid():N}"[..26] + ".sock");
        _socket.Bind(new UnixDomainSocketEndPoint(Path));
        _receiving = ReceiveAsync();
    }

    public string Path { get; }

    /// <summary>The POP3 port to try when READY=1 arrives.</summary>
    public int ProbePort { get; set; }

    /// <summary>Whether the POP3 port accepted a connection right after READY=1 arrived; null before READY=1.</summary>
    public bool? ListeningAtReady { get; private set; }

    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_lock)
            {
                return [.. _messages];
            }
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var received = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                var message = Encoding.UTF8.GetString(buffer, 0, received);
                if (message.Split('\n').Contains("READY=1") && ListeningAtReady is null)
                {
                    ListeningAtReady = await TcpProbe.WhyNotListeningAsync(ProbePort) is null;
                }
                lock (_lock)
                {
                    _messages.Add(message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _receiving;
        _socket.Dispose();
        _stop.Dispose();
        File.Delete(Path);
    }
}
