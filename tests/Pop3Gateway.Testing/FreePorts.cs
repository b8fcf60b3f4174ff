using System.Net;
using System.Net.Sockets;

namespace Pop3Gateway.Testing;

/// <summary>
/// Loopback ports for the servers the tests start, free when handed out. They lie below the kernel's ephemeral
/// range (<c>/proc/sys/net/ipv4/ip_local_port_range</c>, 32768–60999 by default): a port the kernel picks for a
/// listener on port 0 comes from that range, and any outgoing connection of any process (a grain call, an Azurite
/// request) can take it between the pick and the server's bind. Each test process starts at a random place in
/// <see cref="First"/>..<see cref="First"/>+<see cref="Span"/> and walks on, so parallel test processes rarely
/// meet, and a port some listener holds (the benchmarks use 20000–22999) is skipped.
/// </summary>
public static class FreePorts
{
    public const int First = 23000;

    public const int Span = 9000;

    private static int _next = Random.Shared.Next(Span);

    public static int[] Allocate(int count)
    {
        var ports = new List<int>(count);
        for (var tried = 0; ports.Count < count; tried++)
        {
            if (tried >= Span)
            {
                throw new InvalidOperationException($"No free loopback port in {First}-{First + Span - 1}");
            }
            var port = First + (int)((uint)Interlocked.Increment(ref _next) % Span);
            if (IsFree(port))
            {
                ports.Add(port);
            }
        }
        return [.. ports];
    }

    private static bool IsFree(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            listener.Stop();
        }
    }
}
