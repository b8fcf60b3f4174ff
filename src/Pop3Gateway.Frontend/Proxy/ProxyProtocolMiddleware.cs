using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Pop3Gateway.Frontend.Security;

namespace Pop3Gateway.Frontend.Proxy;

/// <summary>
/// Connection middleware in front of TLS: accepts a connection only from a trusted proxy, reads
/// its PROXY header, and makes the client address it carries the connection's remote end point. A header
/// without one (v2 <c>LOCAL</c>, v1 <c>UNKNOWN</c>) marks the connection <see cref="ProxiedClient.AddressUnknown"/>.
/// </summary>
public sealed class ProxyProtocolMiddleware(NetworkList trustedProxies, ILogger logger)
{
    /// <summary>Time a proxy has to send its header; it sends it at once.</summary>
    public static readonly TimeSpan HeaderTimeout = TimeSpan.FromSeconds(10);

    public async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var peer = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        if (peer is null || !trustedProxies.Contains(peer))
        {
            FrontendLog.ProxyRefused(logger, connection.ConnectionId, peer?.ToString() ?? "unknown", "not a trusted proxy");
            connection.Abort();
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        timeout.CancelAfter(HeaderTimeout);
        var input = connection.Transport.Input;
        IPEndPoint? source;
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(timeout.Token);
                var status = ProxyHeaderParser.TryParse(read.Buffer, out source, out var consumed);
                if (status == ProxyParseStatus.Done)
                {
                    input.AdvanceTo(read.Buffer.GetPosition(consumed));
                    break;
                }

                if (status == ProxyParseStatus.Invalid || read.IsCompleted)
                {
                    input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                    FrontendLog.ProxyRefused(logger, connection.ConnectionId, peer.ToString(), "invalid PROXY header");
                    connection.Abort();
                    return;
                }

                input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            }
        }
        catch (OperationCanceledException)
        {
            FrontendLog.ProxyRefused(logger, connection.ConnectionId, peer.ToString(), "no PROXY header in time");
            connection.Abort();
            return;
        }

        if (source is not null)
        {
            connection.RemoteEndPoint = source;
        }
        else
        {
            // LOCAL or UNKNOWN: the proxy's own address stays for counting, but it is not the client's, so it earns no trust.
            connection.Features.Set(ProxiedClient.AddressUnknown);
        }

        await next(connection);
    }
}
