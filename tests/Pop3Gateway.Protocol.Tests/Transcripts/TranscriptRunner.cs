using System.Buffers;
using Pop3Gateway.Protocol.IO;
using Pop3Gateway.Protocol.Session;
using Pop3Gateway.Protocol.Tests.Support;

namespace Pop3Gateway.Protocol.Tests.Transcripts;

/// <summary>
/// Plays a transcript's client bytes through the framer, the session and the writers, the
/// way the connection handler does, delivering the input in chunks of a given size.
/// </summary>
internal static class TranscriptRunner
{
    /// <summary>Bytes read from a message stream at a time: small, to split lines and CRLFs.</summary>
    private const int BodyChunkSize = 5;

    public static async Task<(string ServerText, FakeBackend Backend)> RunAsync(Transcript transcript, int inputChunkSize)
    {
        var backend = new FakeBackend();
        var session = new Pop3Session(backend, transcript.Options);
        var framer = new LineFramer(transcript.Options.MaxLineLength);
        var output = new ArrayBufferWriter<byte>();
        Pop3ReplyWriter.Write(session.Greeting(), output);

        byte[] pending = [];
        for (var offset = 0; offset < transcript.ClientBytes.Length && !session.IsClosed; offset += inputChunkSize)
        {
            var chunk = transcript.ClientBytes.AsSpan(offset, Math.Min(inputChunkSize, transcript.ClientBytes.Length - offset));
            var buffer = Bytes.Segmented([.. pending, .. chunk], pending.Length);
            while (!session.IsClosed)
            {
                var status = framer.TryReadLine(ref buffer, out var line);
                if (status == FrameStatus.NeedMoreData)
                {
                    break;
                }

                var reply = status == FrameStatus.Line
                    ? await session.HandleLineAsync(line, CancellationToken.None)
                    : await session.LineTooLongAsync();
                await WriteAsync(reply, output);
            }

            pending = buffer.ToArray();
        }

        await session.AbortAsync();
        return (Bytes.Text(output.WrittenSpan), backend);
    }

    private static async Task WriteAsync(Pop3Reply reply, ArrayBufferWriter<byte> output)
    {
        await Pop3ReplyWriter.WriteStreamedAsync(reply, output, () => ValueTask.FromResult(true), BodyChunkSize, CancellationToken.None);
        if (reply is not { IsOk: true, Message: { } message })
        {
            return;
        }

        var writer = new MessageBodyWriter(reply.TopBodyLines);
        await using var stream = await message.OpenAsync(CancellationToken.None);
        var chunk = new byte[BodyChunkSize];
        int read;
        while ((read = await stream.ReadAsync(chunk)) > 0)
        {
            if (!writer.Append(chunk.AsSpan(0, read), output))
            {
                break;
            }
        }

        writer.Complete(output);
    }
}
