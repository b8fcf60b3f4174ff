using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pop3Gateway.Frontend.Backend;
using Pop3Gateway.Frontend.Security;
using Pop3Gateway.Frontend.Shutdown;
using Pop3Gateway.Frontend.Tls;
using Pop3Gateway.Protocol;
using Pop3Gateway.Protocol.IO;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Frontend.Pop3;

/// <summary>
/// Moves bytes between a POP3 connection and its <see cref="Pop3Session"/>: frames lines (limit
/// first), hands them to the session and writes the replies of a pipelined batch together. The
/// connection arrives admitted (<see cref="ConnectionAdmissionMiddleware"/>: limits, bans); the
/// backend, the clocks, TLS, body streaming, the protocol log and the session's telemetry are
/// collaborators.
/// </summary>
public sealed class Pop3ConnectionHandler(
    Pop3BackendFactory backends,
    IOptions<Pop3ServerOptions> options,
    ConnectionSecurity security,
    TimeProvider time,
    ILogger<Pop3ConnectionHandler> logger,
    SessionDrain? drain = null) : ConnectionHandler
{
    /// <summary>
    /// Replies to a pipelined batch are written together, up to this much; then they are flushed. As much as
    /// Kestrel's write buffer holds, so a client that never reads pins no more than twice that.
    /// </summary>
    private const int MaxUnflushedReplyBytes = Pop3Listeners.MaxWriteBufferSize;

    private readonly Pop3ServerOptions _options = options.Value;
    private readonly MessageBodyStreamer _replies = new(options.Value.BodyChunkSize, logger);

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var client = connection.Features.Get<AdmittedClient>()
            ?? throw new InvalidOperationException($"a POP3 listener runs {nameof(ConnectionAdmissionMiddleware)} before this handler");
        var isTls = connection.Features.Get<ITlsHandshakeFeature>() is not null;
        Pop3Session? session = null;
        SessionTransport? transport = null;
        var ending = new SessionEnding(connection.Abort, () => transport?.Input.CancelPendingRead());
        using var backend = backends.Create(client, ending.Signal, () => session?.IsTls ?? isTls);
        session = new Pop3Session(backend, new Pop3Options
        {
            MaxLineLength = _options.MaxLineLength,
            MaxBadCommands = _options.MaxBadCommands,
            AllowCleartextAuth = client.IsTrusted || security.Options.AllowCleartextAuth,
            IsTls = isTls,
            StlsAvailable = security.Certificate is not null && !isTls,
            OfferScram = _options.OfferScram,
            NetbiosDomains = _options.NetbiosDomains,
        });
        using var scope = logger.BeginScope(new SessionLogScope(connection.ConnectionId, client.Address, () => session.Mailbox));
        var clock = new SessionClock(_options, time, client.AcceptedAt, session);
        transport = new SessionTransport(connection.Transport, new WriteDeadline(time, clock.WriteTimeout));
        var stats = new SessionStats(connection.ConnectionId, client.Address, logger);
        var served = new Served(session, transport, stats, ending,
            _options.ProtocolLog ? new ProtocolLog(logger, connection.ConnectionId) : null, clock, connection.ConnectionClosed);
        try
        {
            Pop3ReplyWriter.Write(session.Greeting(), transport.Output);
            await transport.Output.FlushAsync(connection.ConnectionClosed);
            await ServeAsync(served);
        }
        catch (ReplyNotReadException)
        {
            stats.Reason = "unread";
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
            await transport.DisposeAsync();
            if (ending.Lost)
            {
                // The release below may wait for an unreachable cluster; the client hears the close now.
                await transport.CloseOutputAsync();
            }
            await session.AbortAsync();
            stats.End(session.Mailbox, transport.BytesWritten);
            if (stats.Reason == "unread")
            {
                // Replies the client never read would keep the socket open while they wait to be sent: drop them.
                // Only now, after the lock is released, so a client that sees the reset finds its mailbox free.
                connection.Abort();
            }
        }
    }

    private async Task ServeAsync(Served served)
    {
        var (session, transport, stats, ending, _, clock, closed) = served;
        var input = transport.Input;
        PipeWriter output = transport.Output;
        var framer = new LineFramer(_options.MaxLineLength);
        using var idle = new IdleTimer(input, time, drain?.Deadline ?? CancellationToken.None);
        while (true)
        {
            idle.Arm(clock.ReadTimeout());
            ReadResult read;
            try
            {
                read = idle.DeadlinePassed ? default : await input.ReadAsync(closed);
            }
            catch (OperationCanceledException) when (ending.Lost)
            {
                stats.Reason = "session-lost";
                return;
            }
            if (read.IsCanceled && ending.Lost)
            {
                // Ended from outside while the client was silent: it hears why, then the connection closes.
                idle.Disarm();
                input.AdvanceTo(read.Buffer.Start);
                await EndedAsync(served, output);
                return;
            }
            if ((idle.Disarm() && read.IsCanceled) || idle.DeadlinePassed)
            {
                var drained = idle.DeadlinePassed;
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
                    if (idle.DeadlinePassed)
                    {
                        // Commands pipelined past the end of the drain are not run, QUIT included.
                        Pop3ReplyWriter.Write(ConnectionReplies.ShuttingDown, output);
                        stats.Reason = "shutdown";
                        close = true;
                        break;
                    }
                    if (clock.LoginDeadlinePassed)
                    {
                        // Commands pipelined past the login deadline are not run: it holds from accept, however busy the client is.
                        Pop3ReplyWriter.Write(ConnectionReplies.Autologout, output);
                        stats.Reason = "autologout";
                        close = true;
                        break;
                    }
                    (close, startTls) = await HandleCommandAsync(served, status, line, output);
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
                await EndedAsync(served, output);
                return;
            }
            if (close)
            {
                stats.Reason = stats.Reason is "shutdown" or "autologout" ? stats.Reason : session.State == Pop3State.Update ? "quit" : "closed";
                return;
            }
            if (startTls)
            {
                if (!await StartTlsAsync(served))
                {
                    stats.Reason = "tls-failed";
                    return;
                }
                (input, output) = (transport.Input, transport.Output);
                idle.Watch(input);
                framer = new LineFramer(_options.MaxLineLength);
                continue;
            }
            if (read.IsCompleted)
            {
                stats.Reason = "disconnected";
                return;
            }
        }
    }

    /// <summary>The session was ended from outside: tells the client why, when there is something to tell.</summary>
    private static async Task EndedAsync(Served served, PipeWriter output)
    {
        served.Stats.Reason = served.Ending.Reason ?? "session-lost";
        if (served.Ending.TakeNotice() is { } notice)
        {
            served.Log?.Server(notice);
            Pop3ReplyWriter.Write(notice, output);
            await output.FlushAsync(served.Closed);
        }
    }

    /// <summary>Negotiates TLS after STLS; false when the handshake failed (the connection then ends).</summary>
    private async Task<bool> StartTlsAsync(Served served)
    {
        var stats = served.Stats;
        try
        {
            var protocol = await served.Transport.StartTlsAsync(security.Certificate!, served.Closed);
            served.Session.TlsStarted();
            FrontendLog.TlsStarted(logger, stats.ConnectionId, stats.Client, protocol.ToString());
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !served.Closed.IsCancellationRequested)
        {
            FrontendLog.TlsFailed(logger, stats.ConnectionId, stats.Client, e);
            return false;
        }
    }

    /// <summary>
    /// Runs one framed line through the session and writes its reply; says whether the connection
    /// must end and whether the reply asked for TLS.
    /// </summary>
    private async Task<(bool Close, bool StartTls)> HandleCommandAsync(Served served, FrameStatus status, ReadOnlySequence<byte> line,
        PipeWriter output)
    {
        var (session, _, stats, ending, log, _, closed) = served;
        var started = Stopwatch.GetTimestamp();
        using var span = SessionStats.StartCommand();
        log?.Client(status, line, session.InSaslExchange);
        var reply = status == FrameStatus.TooLong
            ? await session.LineTooLongAsync()
            : await session.HandleLineAsync(line, closed);
        if (ending.Lost && !reply.IsOk && !reply.CloseConnection)
        {
            reply = ending.TakeNotice() ?? ConnectionReplies.ClusterLost;
        }
        log?.Server(reply);
        var written = await _replies.WriteAsync(reply, session.Mailbox, output, closed);
        stats.Record(session.LastCommand, reply, started, span);
        return (reply.CloseConnection || !written || ending.Lost, reply.StartTls);
    }

    /// <summary>One connection's session and what serves it.</summary>
    private sealed record Served(
        Pop3Session Session, SessionTransport Transport, SessionStats Stats, SessionEnding Ending, ProtocolLog? Log, SessionClock Clock,
        CancellationToken Closed);
}
