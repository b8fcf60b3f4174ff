using System.Buffers;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using Pop3Gateway.Protocol.IO;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Frontend.Pop3;

/// <summary>
/// Writes replies; a RETR or TOP reply's body is streamed from the body store in chunks, byte-stuffed
/// on the way, and never held whole. One per front-end.
/// </summary>
internal sealed class MessageBodyStreamer(int chunkSize, ILogger logger)
{
    /// <summary>Writes one reply; returns false when the connection must end (a body failed mid-stream).</summary>
    public async Task<bool> WriteAsync(Pop3Reply reply, string? mailbox, PipeWriter output, CancellationToken closed)
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
            FrontendLog.BodyReadFailed(logger, mailbox, e);
            Pop3ReplyWriter.Write(ConnectionReplies.BodyUnavailable, output);
            return true;
        }
        await using (body)
        {
            Pop3ReplyWriter.Write(reply, output);
            var writer = new MessageBodyWriter(reply.TopBodyLines);
            var chunk = ArrayPool<byte>.Shared.Rent(chunkSize);
            try
            {
                int read;
                while ((read = await body.ReadAsync(chunk.AsMemory(0, chunkSize), closed)) > 0)
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
            catch (Exception e) when (e is not OperationCanceledException and not ReplyNotReadException)
            {
                // The +OK is already out: the only honest thing left is to end the connection.
                FrontendLog.BodyReadFailed(logger, mailbox, e);
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
