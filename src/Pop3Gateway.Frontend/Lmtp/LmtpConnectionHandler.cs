using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pop3Gateway.Frontend.Delivery;
using Pop3Gateway.Frontend.Security;
using Pop3Gateway.Frontend.Shutdown;
using Pop3Gateway.Protocol.IO;
using Pop3Gateway.Protocol.Lmtp;

namespace Pop3Gateway.Frontend.Lmtp;

/// <summary>
/// Moves bytes between an LMTP connection and its <see cref="LmtpSession"/>: frames command
/// lines (limit first), writes the replies of a pipelined batch together, and spools DATA to a
/// temporary file through the <see cref="DataDecoder"/>, so no message is ever held in memory.
/// A peer outside <see cref="LmtpServerOptions.AllowedNetworks"/>, or one over
/// <see cref="LmtpServerOptions.MaxConnections"/>, gets a 421 and is closed before the greeting.
/// </summary>
public sealed class LmtpConnectionHandler(
    IGrainFactory grains,
    MailDelivery delivery,
    IOptions<LmtpServerOptions> options,
    ILogger<LmtpConnectionHandler> logger,
    SessionDrain? drain = null) : ConnectionHandler
{
    private readonly LmtpServerOptions _options = options.Value;
    private readonly NetworkList _allowed = NetworkList.Parse(options.Value.AllowedNetworks, "Lmtp:AllowedNetworks");
    private int _open;

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var client = connection.RemoteEndPoint?.ToString() ?? "unknown";
        using var scope = logger.BeginScope(new SessionLogScope(connection.ConnectionId, client));
        if (!_allowed.Contains((connection.RemoteEndPoint as IPEndPoint)?.Address))
        {
            await RefuseAsync(connection, client, LmtpReplies.AccessDenied, "not in Lmtp:AllowedNetworks");
            return;
        }
        if (Interlocked.Increment(ref _open) > _options.MaxConnections)
        {
            Interlocked.Decrement(ref _open);
            await RefuseAsync(connection, client, LmtpReplies.TooManyConnections, "Lmtp:MaxConnections reached");
            return;
        }
        try
        {
            await ServeConnectionAsync(connection, client);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    private async Task RefuseAsync(ConnectionContext connection, string client, LmtpReply reply, string reason)
    {
        FrontendLog.LmtpConnectionRefused(logger, connection.ConnectionId, client, reason);
        try
        {
            Write(reply, connection.Transport.Output);
            await connection.Transport.Output.FlushAsync(connection.ConnectionClosed);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException)
        {
        }
    }

    private async Task ServeConnectionAsync(ConnectionContext connection, string client)
    {
        var session = new LmtpSession(new GrainLmtpBackend(grains, delivery, logger), new LmtpLimits
        {
            MaxMessageSize = _options.MaxMessageSize,
            MaxRecipients = _options.MaxRecipients,
            MaxBadCommands = _options.MaxBadCommands,
            HostName = Environment.MachineName.ToLowerInvariant(),
        });
        var started = Stopwatch.GetTimestamp();
        var state = new ConnectionState();
        try
        {
            Write(session.Greeting(), connection.Transport.Output);
            await connection.Transport.Output.FlushAsync(connection.ConnectionClosed);
            await ServeAsync(session, connection.Transport, state, client, connection.ConnectionClosed);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException)
        {
            state.Reason = "disconnected";
        }
        catch (Exception e)
        {
            state.Reason = "failed";
            FrontendLog.LmtpConnectionFailed(logger, connection.ConnectionId, e);
        }
        finally
        {
            state.Spool?.Dispose();
            FrontendLog.LmtpSessionEnded(logger, connection.ConnectionId, client, state.Reason, state.Messages,
                (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private sealed class ConnectionState
    {
        public string Reason { get; set; } = "disconnected";
        public int Messages { get; set; }
        public Spool? Spool { get; set; }
    }

    private async Task ServeAsync(LmtpSession session, IDuplexPipe transport, ConnectionState state, string client, CancellationToken closed)
    {
        var framer = new LineFramer(_options.MaxLineLength);
        var output = transport.Output;
        while (true)
        {
            // At the end of the drain a connection waiting for input is closed; a message not yet
            // acknowledged with 250 is not accepted, so the MTA keeps it and tries again.
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(closed, drain?.Deadline ?? CancellationToken.None);
            idle.CancelAfter(_options.IdleTimeout);
            ReadResult read;
            try
            {
                read = await transport.Input.ReadAsync(idle.Token);
            }
            catch (OperationCanceledException) when (!closed.IsCancellationRequested)
            {
                var drained = drain?.Deadline.IsCancellationRequested == true;
                Write(drained ? LmtpReplies.ShuttingDown : LmtpReplies.Timeout, output);
                await output.FlushAsync(closed);
                state.Reason = drained ? "shutdown" : "timeout";
                return;
            }

            var buffer = read.Buffer;
            var close = false;
            try
            {
                while (!close && !buffer.IsEmpty)
                {
                    if (state.Spool is { } spool)
                    {
                        var done = spool.Receive(ref buffer);
                        await spool.WriteAsync(closed);
                        if (!done)
                        {
                            break;
                        }
                        state.Spool = null;
                        await FinishMessageAsync(session, spool, output, client, closed);
                        state.Messages++;
                        continue;
                    }
                    var status = framer.TryReadLine(ref buffer, out var line);
                    if (status == FrameStatus.NeedMoreData)
                    {
                        break;
                    }
                    var reply = status == FrameStatus.TooLong
                        ? session.LineTooLong()
                        : await session.HandleLineAsync(line, closed);
                    Write(reply, output);
                    close = reply.Close;
                    if (session.ReceivingData)
                    {
                        // The client waits for the 354 before sending DATA (RFC 2920 §3.1).
                        state.Spool = Spool.Create(_options.SpoolDirectory, _options.MaxMessageSize);
                        await output.FlushAsync(closed);
                    }
                }
            }
            finally
            {
                transport.Input.AdvanceTo(buffer.Start, buffer.End);
            }
            await output.FlushAsync(closed);
            if (close)
            {
                state.Reason = "quit";
                return;
            }
            if (read.IsCompleted)
            {
                return;
            }
        }
    }

    private async Task FinishMessageAsync(LmtpSession session, Spool spool, PipeWriter output, string client, CancellationToken closed)
    {
        using (spool)
        {
            await spool.CompleteAsync(closed);
            var recipients = session.Recipients.Count;
            using var activity = LmtpTelemetry.StartMessage(recipients);
            if (spool.BareLineFeed)
            {
                FrontendLog.LmtpBareLineFeed(logger, client);
            }
            var replies = spool.Refusal is { } refusal ? session.RefuseData(refusal) : await session.CompleteDataAsync(spool.Message, closed);
            LmtpTelemetry.Record(replies, spool.Size);
            foreach (var reply in replies)
            {
                Write(reply, output);
            }
            FrontendLog.LmtpMessageHandled(logger, spool.Size, recipients,
                string.Join(", ", replies.Select(r => $"{r.Code} {r.Enhanced}")));
        }
    }

    private static void Write(LmtpReply reply, PipeWriter output) => output.Write(Encoding.ASCII.GetBytes(reply.ToWire()));
}
