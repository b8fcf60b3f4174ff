using System.Net;
using System.Net.Sockets;

namespace Pop3Gateway.Testing;

/// <summary>
/// Loopback ports that were free a moment ago, taken below the kernel's ephemeral range. A port from that
/// range (what a listener on port 0 gets) can be taken as the local port of any outgoing connection before
/// the server binds it: on the Azure profile the silos open many connections to Azurite while a test starts
/// its processes, and a front-end failed with "address already in use" on a port handed out seconds earlier.
/// </summary>
public static class FreePorts
{
    private const int Lowest = 10000;
    private const int DefaultEphemeralStart = 32768;
    private const string EphemeralRangePath = "/proc/sys/net/ipv4/ip_local_port_range";

    private static readonly Lock Gate = new();
    private static readonly int Ceiling = EphemeralStart();
    // Test processes run side by side: each starts at its own place in the range.
    private static int _next = Lowest + Random.Shared.Next(Ceiling - Lowest);

    public static int[] Allocate(int count)
    {
        lock (Gate)
        {
            var ports = new int[count];
            for (var i = 0; i < count; i++)
            {
                ports[i] = NextFree();
            }
            return ports;
        }
    }

    /// <summary>The first port of the kernel's ephemeral range; ports from <see cref="Allocate"/> are below it.</summary>
    public static int EphemeralStart()
    {
        try
        {
            var first = File.ReadAllText(EphemeralRangePath).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries)[0];
            return int.TryParse(first, out var start) && start > Lowest + 1000 ? start : DefaultEphemeralStart;
        }
        catch (IOException)
        {
            return DefaultEphemeralStart;
        }
        catch (UnauthorizedAccessException)
        {
            return DefaultEphemeralStart;
        }
    }

    private static int NextFree()
    {
        for (var tried = 0; tried < Ceiling - Lowest; tried++)
        {
            var port = _next;
            _next = port + 1 < Ceiling ? port + 1 : Lowest;
            if (IsFree(port))
            {
                return port;
            }
        }
        throw new InvalidOperationException($"no free loopback port in {Lowest}-{Ceiling - 1}");
    }

    private static bool IsFree(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
