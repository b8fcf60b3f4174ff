using System.Net;
using System.Net.Sockets;
using Pop3Gateway.Testing;

namespace Pop3Gateway.Integration.Tests;

/// <summary>
/// The ports the servers under test are given lie outside the kernel's ephemeral range, so an outgoing
/// connection (a silo to Azurite) cannot take one between the allocation and the server's bind.
/// </summary>
public sealed class FreePortsTests
{
    [Fact]
    public void Allocate_ManyPorts_DistinctBindableAndBelowEphemeralRange()
    {
        var ports = FreePorts.Allocate(50);

        Assert.Equal(ports.Length, ports.Distinct().Count());
        Assert.All(ports, p => Assert.InRange(p, 1024, FreePorts.EphemeralStart() - 1));
        foreach (var port in ports)
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        }
    }

    [Fact]
    public void Allocate_OutgoingConnectionsOpen_NoneOfTheirLocalPortsHandedOut()
    {
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var endpoint = (IPEndPoint)server.LocalEndpoint;
        var clients = Enumerable.Range(0, 20).Select(_ => new TcpClient()).ToList();
        try
        {
            clients.ForEach(c => c.Connect(endpoint));
            var localPorts = clients.Select(c => ((IPEndPoint)c.Client.LocalEndPoint!).Port).ToHashSet();

            var ports = FreePorts.Allocate(20);

            Assert.DoesNotContain(ports, localPorts.Contains);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }
}
