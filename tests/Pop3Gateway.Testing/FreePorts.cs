using System.Net;
using System.Net.Sockets;

namespace Pop3Gateway.Testing;

/// <summary>Loopback ports that were free a moment ago: the kernel picks them for a listener on port 0.</summary>
public static class FreePorts
{
    public static int[] Allocate(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
