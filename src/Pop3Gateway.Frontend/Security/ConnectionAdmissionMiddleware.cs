using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Pop3Gateway.Frontend.Pop3;
using Pop3Gateway.Frontend.Telemetry;
using Pop3Gateway.Protocol.IO;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Frontend.Security;

/// <summary>
/// POP3 connection middleware after TLS: counts the connection against the limits (total and per
/// address, held until it closes) and refuses a banned address, each with a POP3 reply; an admitted
/// connection carries an <see cref="AdmittedClient"/> feature.
/// </summary>
public sealed class ConnectionAdmissionMiddleware(
    IGrainFactory grains, ConnectionSecurity security, TimeProvider time, ILogger<ConnectionAdmissionMiddleware> logger)
{
    public async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var address = ConnectionSecurity.ClientAddress(connection.RemoteEndPoint);
        var client = address?.ToString() ?? "local";
        var loopback = ConnectionSecurity.IsLoopback(address);
        using var slot = security.Limiter.TryOpenConnection(client);
        if (slot is null)
        {
            FrontendLog.ConnectionRefused(logger, connection.ConnectionId, client, "too many connections");
            FrontendTelemetry.LimitsRefused.Add(1, new KeyValuePair<string, object?>("limit", "connections"));
            await RefuseAsync(connection, ConnectionReplies.TooManyConnections);
            return;
        }

        var guard = new LoginGuard(grains, security, client, security.Options.ThrottleLoopback || !loopback, time, logger);
        if (await guard.IsBannedAsync(connection.ConnectionClosed))
        {
            FrontendLog.ConnectionRefused(logger, connection.ConnectionId, client, "address banned");
            await RefuseAsync(connection, ConnectionReplies.AddressBanned);
            return;
        }

        connection.Features.Set(new AdmittedClient(client, loopback, guard));
        await next(connection);
    }

    private static async Task RefuseAsync(ConnectionContext connection, Pop3Reply reply)
    {
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
