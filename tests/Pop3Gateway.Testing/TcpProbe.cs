using System.Net;
using System.Net.Sockets;

namespace Pop3Gateway.Testing;

/// <summary>Whether something listens on a loopback port, in the shape <see cref="Eventually.UntilAsync"/> wants.</summary>
public static class TcpProbe
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Null when 127.0.0.1:<paramref name="port"/> accepts a connection, else why not.</summary>
    public static async Task<string?> WhyNotListeningAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            using var attempt = new CancellationTokenSource(AttemptTimeout);
            await client.ConnectAsync(IPAddress.Loopback, port, attempt.Token);
            return null;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return $"port {port}: {e.Message}";
        }
    }

    /// <summary>Null when a connection to 127.0.0.1:<paramref name="port"/> is refused, else what happened.</summary>
    public static async Task<string?> WhyNotRefusedAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            using var attempt = new CancellationTokenSource(AttemptTimeout);
            await client.ConnectAsync(IPAddress.Loopback, port, attempt.Token);
            return $"port {port} accepted a connection";
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return null;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return $"port {port}: {e.Message}";
        }
    }
}
