using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Frontend.Backend;
using Pop3Gateway.Frontend.Telemetry;
using Pop3Gateway.Protocol;
using Pop3Gateway.Protocol.IO;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Frontend.Pop3;

/// <summary>
/// Moves bytes between a POP3 connection and its <see cref="Pop3Session"/>: frames lines
/// (limit first), hands them to the session, writes the replies of a pipelined batch
/// together, streams message bodies from the body store, and enforces the timeouts.
/// </summary>
public sealed class Pop3ConnectionHandler(
    IGrainFactory grains,
    IBodyStore bodies,
    IOptions<Pop3ServerOptions> options,
    ILogger<Pop3ConnectionHandler> logger) : ConnectionHandler
{
    /// <summary>Replies to a pipelined batch are written together, up to this much; then they are flushed.</summary>
    private const int MaxUnflushedReplyBytes = 64 * 1024;

    private readonly Pop3ServerOptions _options = options.Value;

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var client = connection.RemoteEndPoint?.ToString() ?? "unknown";
        var backend = new GrainPop3Backend(grains, bodies, _options.LockPolicy, _options.LeaseRenewInterval,
            $"{client} via {Environment.MachineName}", connection.Abort, logger);
        var session = new Pop3Session(backend, new Pop3Options
        {
            MaxLineLength = _options.MaxLineLength,
            MaxBadCommands = _options.MaxBadCommands,
        });
        var output = new CountingPipeWriter(connection.Transport.Output);
        var stats = new SessionStats();
        using var span = FrontendTelemetry.Source.StartActivity("pop3.session", ActivityKind.Server);
        span?.SetTag("client.address", client);
        FrontendTelemetry.SessionsOpened.Add(1);
        FrontendTelemetry.SessionsActive.Add(1);
        FrontendLog.ConnectionOpened(logger, connection.ConnectionId, client);
        try
        {
            Pop3ReplyWriter.Write(session.Greeting(), output);
            await output.FlushAsync(connection.ConnectionClosed);
            await ServeAsync(session, connection.Transport.Input, output, stats, connection.ConnectionClosed);
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
            await session.AbortAsync();
            FrontendTelemetry.SessionsActive.Add(-1);
            FrontendTelemetry.BytesSent.Add(output.BytesWritten);
            span?.SetTag("pop3.mailbox", session.Mailbox).SetTag("pop3.outcome", stats.Reason);
            FrontendLog.SessionEnded(logger, connection.ConnectionId, client, session.Mailbox, stats.Reason, stats.Commands,
                stats.Retr, stats.Top, stats.Dele, output.BytesWritten, stats.DurationMs);
        }
    }

    private async Task ServeAsync(Pop3Session session, PipeReader input, PipeWriter output, SessionStats stats, CancellationToken closed)
    {
        var framer = new Pop3LineFramer(_options.MaxLineLength);
        while (true)
        {
            var timeout = session.State == Pop3State.Authorization ? _options.LoginTimeout : _options.IdleTimeout;
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(closed);
            idle.CancelAfter(timeout);
            ReadResult read;
            try
            {
                read = await input.ReadAsync(idle.Token);
            }
            catch (OperationCanceledException) when (!closed.IsCancellationRequested)
            {
                Pop3ReplyWriter.Write(ConnectionReplies.Autologout, output);
                await output.FlushAsync(closed);
                stats.Reason = "autologout";
                return;
            }

            var buffer = read.Buffer;
            var close = false;
            try
            {
                while (!close)
                {
                    var status = framer.TryReadLine(ref buffer, out var line);
                    if (status == FrameStatus.NeedMoreData)
                    {
                        break;
                    }
                    close = await HandleCommandAsync(session, status, line, output, stats, closed);
                    if (!close && output.CanGetUnflushedBytes && output.UnflushedBytes > MaxUnflushedReplyBytes)
                    {
                        // A client pipelining faster than it reads gets backpressure, not our memory.
                        await output.FlushAsync(closed);
                    }
                }
            }
            finally
            {
                input.AdvanceTo(buffer.Start, buffer.End);
            }
            await output.FlushAsync(closed);
            if (close)
            {
                stats.Reason = session.State == Pop3State.Update ? "quit" : "closed";
                return;
            }
            if (read.IsCompleted)
            {
                stats.Reason = "disconnected";
                return;
            }
        }
    }

    /// <summary>Runs one framed line through the session and writes its reply; returns true when the connection must end.</summary>
    private async Task<bool> HandleCommandAsync(Pop3Session session, FrameStatus status, ReadOnlySequence<byte> line,
        PipeWriter output, SessionStats stats, CancellationToken closed)
    {
        var started = Stopwatch.GetTimestamp();
        using var span = FrontendTelemetry.Source.StartActivity("pop3.command");
        var reply = status == FrameStatus.TooLong
            ? session.LineTooLong()
            : await session.HandleLineAsync(line, closed);
        var written = await WriteReplyAsync(reply, session, output, closed);
        stats.Record(session.LastCommand, reply.IsOk, Stopwatch.GetElapsedTime(started));
        span?.SetTag("pop3.command", session.LastCommand ?? "invalid").SetTag("pop3.status", reply.IsOk ? "+OK" : "-ERR");
        if (reply.Message is { } message && reply.IsOk)
        {
            span?.SetTag("pop3.octets", message.Size);
        }
        return reply.CloseConnection || !written;
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
