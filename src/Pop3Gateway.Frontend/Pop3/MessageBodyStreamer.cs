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
        if (reply.StreamedLines is not null)
        {
            return await WriteListingAsync(reply, mailbox, output, closed);
        }
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
                // A chunk is flushed only once the next one is read: the last chunk and the terminator go out
                // with the connection's flush after the reply (one write for a message of one chunk, and
                // pipelined RETRs of small messages share writes), and at most one chunk waits unflushed.
                var pending = false;
                int read;
                while ((read = await body.ReadAsync(chunk.AsMemory(0, chunkSize), closed)) > 0)
                {
                    if (pending && (await output.FlushAsync(closed)).IsCompleted)
                    {
                        return false;
                    }
                    if (!writer.Append(chunk.AsSpan(0, read), output))
                    {
                        break;
                    }
                    pending = true;
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

    /// <summary>
    /// A LIST or UIDL of the whole mailbox, flushed every chunk: a listing that fails part way (its session lost)
    /// is cut and the connection ends, since its +OK is already out. One short enough to need no flush goes out
    /// with the rest of a pipelined batch, as before.
    /// </summary>
    private async Task<bool> WriteListingAsync(Pop3Reply reply, string? mailbox, PipeWriter output, CancellationToken closed)
    {
        try
        {
            return await Pop3ReplyWriter.WriteStreamedAsync(
                reply, output, async () => !(await output.FlushAsync(closed)).IsCompleted, chunkSize, closed);
        }
        catch (Exception e) when (e is not OperationCanceledException and not ReplyNotReadException)
        {
            FrontendLog.ListingCut(logger, mailbox, e);
            return false;
        }
    }
}
