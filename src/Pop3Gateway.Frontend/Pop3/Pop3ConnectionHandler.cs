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
using Pop3Gateway.Frontend.Shutdown;
using Pop3Gateway.Frontend.Telemetry;
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
    ILogger<Pop3ConnectionHandler> logger,
    SessionDrain? drain = null) : ConnectionHandler
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
            FrontendTelemetry.LimitsRefused.Add(1, new KeyValuePair<string, object?>("limit", "connections"));
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
        var ending = new SessionEnding(connection.Abort);
        using var backend = new GrainPop3Backend(grains, bodies, _options.LockPolicy, _options.LeaseRenewInterval,
            $"{client} via {Environment.MachineName}", ending.Signal, logger, guard, security.Limiter);
        var session = new Pop3Session(backend, new Pop3Options
        {
            MaxLineLength = _options.MaxLineLength,
            MaxBadCommands = _options.MaxBadCommands,
            AllowCleartextAuth = loopback || security.Options.AllowCleartextAuth,
            IsTls = isTls,
            StlsAvailable = security.Certificate is not null && !isTls,
            OfferScram = _options.OfferScram,
        });
        var output = new CountingPipeWriter(connection.Transport.Output);
        var stats = new SessionStats(connection.ConnectionId, client);
        using var span = FrontendTelemetry.Source.StartActivity("pop3.session", ActivityKind.Server);
        span?.SetTag("client.address", client);
        FrontendTelemetry.SessionsOpened.Add(1);
        FrontendTelemetry.SessionsActive.Add(1);
        FrontendLog.ConnectionOpened(logger, connection.ConnectionId, client);
        try
        {
            Pop3ReplyWriter.Write(session.Greeting(), output);
            await output.FlushAsync(connection.ConnectionClosed);
            await ServeAsync(session, connection.Transport, output, stats, ending, connection.ConnectionClosed);
            await stats.DisposeTlsAsync();
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException)
        {
            stats.Reason = "disconnected";
        }
        catch (Exception e)
        {
            stats.Reason = "failed";
            FrontendLog.ConnectionFailed(logger, connection.ConnectionId, e);
        }
        finally
        {
            if (ending.Lost)
            {
                // The release below may wait for an unreachable cluster; the client hears the close now.
                await stats.DisposeTlsAsync();
                await connection.Transport.Output.CompleteAsync();
            }
            await session.AbortAsync();
            await stats.DisposeTlsAsync();
            FrontendTelemetry.SessionsActive.Add(-1);
            var bytesSent = output.BytesWritten + stats.TlsBytesWritten;
            FrontendTelemetry.BytesSent.Add(bytesSent);
            span?.SetTag("pop3.mailbox", session.Mailbox).SetTag("pop3.outcome", stats.Reason);
            FrontendLog.SessionEnded(logger, connection.ConnectionId, client, session.Mailbox, stats.Reason, stats.Commands,
                stats.Retr, stats.Top, stats.Dele, bytesSent, stats.DurationMs);
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

    /// <param name="raw">The connection's own pipes: STLS puts TLS on them.</param>
    /// <param name="output">What replies are written to (counting the octets) until STLS replaces it.</param>
    private async Task ServeAsync(Pop3Session session, IDuplexPipe raw, PipeWriter output, SessionStats stats, SessionEnding ending,
        CancellationToken closed)
    {
        var input = raw.Input;
        var framer = new Pop3LineFramer(_options.MaxLineLength);
        var deadline = drain?.Deadline ?? CancellationToken.None;
        using var idle = new IdleTimer(input, TimeProvider.System);
        // The drain deadline ends a waiting read the way the idle clock does.
        using var draining = deadline.CanBeCanceled ? deadline.UnsafeRegister(static state => ((IdleTimer)state!).Expire(), idle) : default;
        while (true)
        {
            idle.Arm(session.State == Pop3State.Authorization ? _options.LoginTimeout : _options.IdleTimeout);
            ReadResult read;
            try
            {
                read = deadline.IsCancellationRequested ? default : await input.ReadAsync(closed);
            }
            catch (OperationCanceledException) when (ending.Lost)
            {
                stats.Reason = "session-lost";
                return;
            }
            if ((idle.Disarm() && read.IsCanceled) || deadline.IsCancellationRequested)
            {
                var drained = deadline.IsCancellationRequested;
                Pop3ReplyWriter.Write(drained ? ConnectionReplies.ShuttingDown : ConnectionReplies.Autologout, output);
                await output.FlushAsync(closed);
                stats.Reason = drained ? "shutdown" : "autologout";
                return;
            }

            var buffer = read.Buffer;
            var close = false;
            var startTls = false;
            ending.Busy(true);
            try
            {
                while (!close && !startTls)
                {
                    var status = framer.TryReadLine(ref buffer, out var line);
                    if (status == FrameStatus.NeedMoreData)
                    {
                        break;
                    }
                    if (deadline.IsCancellationRequested)
                    {
                        // Commands pipelined past the end of the drain are not run, QUIT included.
                        Pop3ReplyWriter.Write(ConnectionReplies.ShuttingDown, output);
                        stats.Reason = "shutdown";
                        close = true;
                        break;
                    }
                    (close, startTls) = await HandleCommandAsync(session, status, line, output, stats, ending, closed);
                    if (!close && output.CanGetUnflushedBytes && output.UnflushedBytes > MaxUnflushedReplyBytes)
                    {
                        // A client pipelining faster than it reads gets backpressure, not our memory.
                        await output.FlushAsync(closed);
                    }
                }
            }
            finally
            {
                // After STLS, plaintext pipelined behind it is dropped unread (RFC 2595 section 4, CVE-2011-0411).
                input.AdvanceTo(startTls ? buffer.End : buffer.Start, buffer.End);
            }
            await output.FlushAsync(closed);
            ending.Busy(false);
            if (ending.Lost)
            {
                stats.Reason = "session-lost";
                return;
            }
            if (close)
            {
                stats.Reason = stats.Reason == "shutdown" ? stats.Reason : session.State == Pop3State.Update ? "quit" : "closed";
                return;
            }
            if (startTls)
            {
                if (await StartTlsAsync(session, raw, stats, closed) is not { } upgraded)
                {
                    stats.Reason = "tls-failed";
                    return;
                }
                (input, output) = (upgraded.Input, upgraded.Output);
                idle.Watch(input);
                framer = new Pop3LineFramer(_options.MaxLineLength);
                continue;
            }
            if (read.IsCompleted)
            {
                stats.Reason = "disconnected";
                return;
            }
        }
    }

    /// <summary>Negotiates TLS after STLS; null when the handshake failed (the connection then ends).</summary>
    private async Task<Transport?> StartTlsAsync(Pop3Session session, IDuplexPipe plaintext, SessionStats stats, CancellationToken closed)
    {
        try
        {
            var (pipes, tls) = await StartTlsUpgrade.UpgradeAsync(plaintext, security.Certificate!, closed);
            var output = new CountingPipeWriter(pipes.Output);
            stats.UseTls(tls, output);
            session.TlsStarted();
            FrontendLog.TlsStarted(logger, stats.ConnectionId, stats.Client, tls.SslProtocol.ToString());
            return new Transport(pipes.Input, output);
        }
        catch (Exception e) when (e is not OperationCanceledException || !closed.IsCancellationRequested)
        {
            FrontendLog.TlsFailed(logger, stats.ConnectionId, stats.Client, e);
            return null;
        }
    }

    /// <summary>
    /// Runs one framed line through the session and writes its reply; says whether the connection
    /// must end and whether the reply asked for TLS.
    /// </summary>
    private async Task<(bool Close, bool StartTls)> HandleCommandAsync(Pop3Session session, FrameStatus status, ReadOnlySequence<byte> line,
        PipeWriter output, SessionStats stats, SessionEnding ending, CancellationToken closed)
    {
        var started = Stopwatch.GetTimestamp();
        using var span = FrontendTelemetry.Source.StartActivity("pop3.command");
        if (_options.ProtocolLog)
        {
            FrontendLog.ProtocolClient(logger, stats.ConnectionId,
                status == FrameStatus.TooLong ? "(line too long)" : Pop3LogText.ForLog(line, session.InSaslExchange));
        }
        var reply = status == FrameStatus.TooLong
            ? await session.LineTooLongAsync()
            : await session.HandleLineAsync(line, closed);
        if (ending.Lost && !reply.IsOk && !reply.CloseConnection)
        {
            reply = ConnectionReplies.ClusterLost;
        }
        if (_options.ProtocolLog)
        {
            FrontendLog.ProtocolServer(logger, stats.ConnectionId,
                reply.IsContinuation ? "+ " + Pop3LogText.Redacted : (reply.IsOk ? "+OK " : "-ERR ") + reply.Text);
        }
        var written = await WriteReplyAsync(reply, session, output, closed);
        stats.Record(session.LastCommand, reply.IsOk, Stopwatch.GetElapsedTime(started));
        span?.SetTag("pop3.command", session.LastCommand ?? "invalid").SetTag("pop3.status", reply.IsOk ? "+OK" : "-ERR");
        if (reply.Message is { } message && reply.IsOk)
        {
            span?.SetTag("pop3.octets", message.Size);
        }
        return (reply.CloseConnection || !written || ending.Lost, reply.StartTls);
    }

    private sealed record Transport(PipeReader Input, PipeWriter Output) : IDuplexPipe;

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
