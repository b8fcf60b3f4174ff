using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Security;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Frontend.Backend;
using Pop3Gateway.Frontend.Security;
using Pop3Gateway.Frontend.Tls;
using Pop3Gateway.Protocol;
using Pop3Gateway.Protocol.IO;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Frontend.Pop3;

/// <summary>
/// Moves bytes between a POP3 connection and its <see cref="Pop3Session"/>: frames lines
/// (limit first), hands them to the session, writes the replies of a pipelined batch
/// together, streams message bodies from the body store, enforces the timeouts and the
/// connection limits, and switches to TLS on STLS.
/// </summary>
public sealed class Pop3ConnectionHandler(
    IGrainFactory grains,
    IBodyStore bodies,
    IOptions<Pop3ServerOptions> options,
    ConnectionSecurity security,
    ILogger<Pop3ConnectionHandler> logger) : ConnectionHandler
{
    /// <summary>Replies to a pipelined batch are written together, up to this much; then they are flushed.</summary>
    private const int MaxUnflushedReplyBytes = 64 * 1024;

    private readonly Pop3ServerOptions _options = options.Value;

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var address = ConnectionSecurity.ClientAddress(connection.RemoteEndPoint);
        var client = address?.ToString() ?? "local";
        var loopback = ConnectionSecurity.IsLoopback(address);
        using var slot = security.Limiter.TryOpenConnection(client);
        if (slot is null)
        {
            FrontendLog.ConnectionRefused(logger, connection.ConnectionId, client, "too many connections");
            await RefuseAsync(connection, ConnectionReplies.TooManyConnections);
            return;
        }

        var guard = new LoginGuard(grains, security, client, security.Options.ThrottleLoopback || !loopback, logger);
        if (await guard.IsBannedAsync(connection.ConnectionClosed))
        {
            FrontendLog.ConnectionRefused(logger, connection.ConnectionId, client, "address banned");
            await RefuseAsync(connection, ConnectionReplies.AddressBanned);
            return;
        }

        var isTls = connection.Features.Get<ITlsHandshakeFeature>() is not null;
        using var backend = new GrainPop3Backend(grains, bodies, _options.LockPolicy, _options.LeaseRenewInterval,
            $"{client} via {Environment.MachineName}", connection.Abort, logger, guard, security.Limiter);
        var session = new Pop3Session(backend, new Pop3Options
        {
            MaxLineLength = _options.MaxLineLength,
            MaxBadCommands = _options.MaxBadCommands,
            AllowCleartextAuth = loopback || security.Options.AllowCleartextAuth,
            IsTls = isTls,
            StlsAvailable = security.Certificate is not null && !isTls,
        });
        var started = Stopwatch.GetTimestamp();
        var commands = 0;
        var reason = "disconnected";
        SslStream? tls = null;
        FrontendLog.ConnectionOpened(logger, connection.ConnectionId, client);
        try
        {
            var output = connection.Transport.Output;
            Pop3ReplyWriter.Write(session.Greeting(), output);
            await output.FlushAsync(connection.ConnectionClosed);
            var served = await ServeAsync(session, connection, client, connection.ConnectionClosed);
            (reason, commands, tls) = served;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException)
        {
            reason = "disconnected";
        }
        catch (Exception e)
        {
            reason = "failed";
            FrontendLog.ConnectionFailed(logger, connection.ConnectionId, e);
        }
        finally
        {
            await session.AbortAsync();
            if (tls is not null)
            {
                await tls.DisposeAsync();
            }
            FrontendLog.SessionEnded(logger, connection.ConnectionId, client, session.Mailbox, reason, commands,
                (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
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

    private async Task<(string Reason, int Commands, SslStream? Tls)> ServeAsync(
        Pop3Session session, ConnectionContext connection, string client, CancellationToken closed)
    {
        var transport = connection.Transport;
        SslStream? tls = null;
        var framer = new Pop3LineFramer(_options.MaxLineLength);
        var commands = 0;
        while (true)
        {
            var timeout = session.State == Pop3State.Authorization ? _options.LoginTimeout : _options.IdleTimeout;
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(closed);
            idle.CancelAfter(timeout);
            ReadResult read;
            try
            {
                read = await transport.Input.ReadAsync(idle.Token);
            }
            catch (OperationCanceledException) when (!closed.IsCancellationRequested)
            {
                Pop3ReplyWriter.Write(ConnectionReplies.Autologout, transport.Output);
                await transport.Output.FlushAsync(closed);
                return ("autologout", commands, tls);
            }

            var buffer = read.Buffer;
            var close = false;
            var startTls = false;
            try
            {
                while (!close && !startTls)
                {
                    var status = framer.TryReadLine(ref buffer, out var line);
                    if (status == FrameStatus.NeedMoreData)
                    {
                        break;
                    }
                    commands++;
                    if (_options.ProtocolLog)
                    {
                        FrontendLog.ProtocolClient(logger, connection.ConnectionId,
                            status == FrameStatus.TooLong ? "(line too long)" : Pop3LogText.ForLog(line, session.InSaslExchange));
                    }
                    var reply = status == FrameStatus.TooLong
                        ? await session.LineTooLongAsync()
                        : await session.HandleLineAsync(line, closed);
                    if (_options.ProtocolLog)
                    {
                        FrontendLog.ProtocolServer(logger, connection.ConnectionId, reply.IsContinuation ? "+ " + Pop3LogText.Redacted
                            : (reply.IsOk ? "+OK " : "-ERR ") + reply.Text);
                    }
                    var written = await WriteReplyAsync(reply, session, transport.Output, closed);
                    close = reply.CloseConnection || !written;
                    startTls = reply.StartTls;
                    if (!close && transport.Output.CanGetUnflushedBytes && transport.Output.UnflushedBytes > MaxUnflushedReplyBytes)
                    {
                        // A client pipelining faster than it reads gets backpressure, not our memory.
                        await transport.Output.FlushAsync(closed);
                    }
                }
            }
            finally
            {
                // After STLS, plaintext pipelined behind it is dropped unread (RFC 2595 section 4, CVE-2011-0411).
                transport.Input.AdvanceTo(startTls ? buffer.End : buffer.Start, buffer.End);
            }
            await transport.Output.FlushAsync(closed);
            if (close)
            {
                return (session.State == Pop3State.Update ? "quit" : "closed", commands, tls);
            }
            if (startTls)
            {
                try
                {
                    (transport, tls) = await StartTlsUpgrade.UpgradeAsync(transport, security.Certificate!, closed);
                }
                catch (Exception e) when (e is not OperationCanceledException || !closed.IsCancellationRequested)
                {
                    FrontendLog.TlsFailed(logger, connection.ConnectionId, client, e);
                    return ("tls-failed", commands, tls);
                }
                session.TlsStarted();
                framer = new Pop3LineFramer(_options.MaxLineLength);
                FrontendLog.TlsStarted(logger, connection.ConnectionId, client, tls.SslProtocol.ToString());
                continue;
            }
            if (read.IsCompleted)
            {
                return ("disconnected", commands, tls);
            }
        }
    }

    /// <summary>Writes one reply; returns false when the connection must end (a body failed mid-stream).</summary>
    private async Task<bool> WriteReplyAsync(Pop3Reply reply, Pop3Session session, PipeWriter output, CancellationToken closed)
    {
        if (reply.Message is not { } message)
        {
            Pop3ReplyWriter.Write(reply, output);
            return true;
        }
        Stream body;
        try
        {
            body = await message.OpenAsync(closed);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            FrontendLog.BodyReadFailed(logger, session.Mailbox, e);
            Pop3ReplyWriter.Write(ConnectionReplies.BodyUnavailable, output);
            return true;
        }
        await using (body)
        {
            Pop3ReplyWriter.Write(reply, output);
            var writer = new MessageBodyWriter(reply.TopBodyLines);
            var chunk = ArrayPool<byte>.Shared.Rent(_options.BodyChunkSize);
            try
            {
                int read;
                while ((read = await body.ReadAsync(chunk.AsMemory(0, _options.BodyChunkSize), closed)) > 0)
                {
                    if (!writer.Append(chunk.AsSpan(0, read), output))
                    {
                        break;
                    }
                    var flushed = await output.FlushAsync(closed);
                    if (flushed.IsCompleted)
                    {
                        return false;
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The +OK is already out: the only honest thing left is to end the connection.
                FrontendLog.BodyReadFailed(logger, session.Mailbox, e);
                return false;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
            writer.Complete(output);
            return true;
        }
    }
}
