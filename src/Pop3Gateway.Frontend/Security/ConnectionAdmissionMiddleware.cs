using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Pop3Gateway.Frontend.Pop3;
using Pop3Gateway.Frontend.Proxy;
using Pop3Gateway.Frontend.Telemetry;
using Pop3Gateway.Protocol.IO;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Frontend.Security;

/// <summary>
/// POP3 connection middleware at accept, before TLS: counts the connection against the limits (total and
/// per address group, held until it closes), refuses a banned address, and decides whether the client is
/// trusted (<c>Security:TrustedNetworks</c>, never after a PROXY header without an address). An admitted
/// connection carries an <see cref="AdmittedClient"/> feature. A refusal is a POP3 reply on a plain port;
/// on the implicit-TLS port the connection is just closed, before any handshake work is spent on it.
/// </summary>
public sealed class ConnectionAdmissionMiddleware(
    IGrainFactory grains, ConnectionSecurity security, TimeProvider time, ILogger<ConnectionAdmissionMiddleware> logger)
{
    /// <param name="plaintext">False on the implicit-TLS port, where a reply before the handshake would be noise.</param>
    public async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next, bool plaintext = true)
    {
        var accepted = time.GetTimestamp();
        var address = ConnectionSecurity.ClientAddress(connection.RemoteEndPoint);
        var client = address?.ToString() ?? "local";
        var group = ConnectionSecurity.AddressGroup(address);
        var trusted = connection.Features.Get<ProxiedClient>() is null && security.TrustedNetworks.Contains(address);
        using var slot = security.Limiter.TryOpenConnection(group);
        if (slot is null)
        {
            FrontendLog.ConnectionRefused(logger, connection.ConnectionId, client, "too many connections");
            FrontendTelemetry.LimitsRefused.Add(1, new KeyValuePair<string, object?>("limit", "connections"));
            await RefuseAsync(connection, ConnectionReplies.TooManyConnections, plaintext);
            return;
        }

        var guard = new LoginGuard(grains, security, client, group, !trusted, time, logger);
        if (await guard.IsBannedAsync(connection.ConnectionClosed))
        {
            FrontendLog.ConnectionRefused(logger, connection.ConnectionId, client, "address banned");
            await RefuseAsync(connection, ConnectionReplies.AddressBanned, plaintext);
            return;
        }

        connection.Features.Set(new AdmittedClient(client, trusted, guard, accepted));
        await next(connection);
    }

    private static async Task RefuseAsync(ConnectionContext connection, Pop3Reply reply, bool plaintext)
    {
        if (!plaintext)
        {
            connection.Abort();
            return;
        }
        try
        {
            Pop3ReplyWriter.Write(reply, connection.Transport.Output);
            await connection.Transport.Output.FlushAsync(connection.ConnectionClosed);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException)
        {
            // The client is gone already.
        }
    }
}
