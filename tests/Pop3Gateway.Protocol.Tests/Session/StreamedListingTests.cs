using System.Buffers;
using Pop3Gateway.Protocol.Backend;
using Pop3Gateway.Protocol.IO;
using Pop3Gateway.Protocol.Session;
using Pop3Gateway.Protocol.Tests.Support;

namespace Pop3Gateway.Protocol.Tests.Session;

/// <summary>A whole LIST or UIDL is written while its lines are made, flushed in chunks, and cut when the listing fails.</summary>
public sealed class StreamedListingTests
{
    [Theory]
    [InlineData("LIST")]
    [InlineData("UIDL")]
    public async Task WriteStreamedAsync_SmallFlushSize_LinesMadeBetweenFlushes(string command)
    {
        var driver = await SessionDriver.LoggedInAsync();
        var reply = await driver.SendAsync(command);
        var output = new ArrayBufferWriter<byte>();
        var streamedAtFlush = new List<int>();

        var written = await Pop3ReplyWriter.WriteStreamedAsync(
            reply, output, () => { streamedAtFlush.Add(driver.Maildrop.Streamed); return ValueTask.FromResult(true); }, 1, CancellationToken.None);

        Assert.True(written);
        Assert.Equal([1, 2, 3], streamedAtFlush);
        Assert.EndsWith("\r\n3 " + (command == "LIST" ? $"{FakeBackend.AliceMessages[2].Content.Length}" : "uid-3") + "\r\n.\r\n", Bytes.Text(output.WrittenSpan));
    }

    [Fact]
    public async Task WriteStreamedAsync_LargeFlushSize_WholeReplyWithoutFlush()
    {
        var reply = await (await SessionDriver.LoggedInAsync()).SendAsync("UIDL");
        var output = new ArrayBufferWriter<byte>();
        var flushes = 0;

        Assert.True(await Pop3ReplyWriter.WriteStreamedAsync(
            reply, output, () => { flushes++; return ValueTask.FromResult(true); }, 64 * 1024, CancellationToken.None));

        Assert.Equal(0, flushes);
        Assert.Equal("+OK Unique-ID listing follows.\r\n1 uid-1\r\n2 uid-2\r\n3 uid-3\r\n.\r\n", Bytes.Text(output.WrittenSpan));
    }

    [Fact]
    public async Task WriteStreamedAsync_FlushReportsClosed_StopsWithoutTerminator()
    {
        var reply = await (await SessionDriver.LoggedInAsync()).SendAsync("UIDL");
        var output = new ArrayBufferWriter<byte>();

        Assert.False(await Pop3ReplyWriter.WriteStreamedAsync(reply, output, () => ValueTask.FromResult(false), 1, CancellationToken.None));

        Assert.Equal("+OK Unique-ID listing follows.\r\n1 uid-1\r\n", Bytes.Text(output.WrittenSpan));
    }

    [Fact]
    public async Task WriteStreamedAsync_SessionLostMidListing_ThrowsWithReplyCut()
    {
        var driver = await SessionDriver.LoggedInAsync();
        var reply = await driver.SendAsync("UIDL");
        driver.Maildrop.LoseSessionAfter = 2;
        var output = new ArrayBufferWriter<byte>();

        var lost = await Assert.ThrowsAsync<MaildropException>(() => Pop3ReplyWriter.WriteStreamedAsync(
            reply, output, () => ValueTask.FromResult(true), 64 * 1024, CancellationToken.None));

        Assert.Equal(MaildropStatus.SessionLost, lost.Status);
        Assert.Equal("+OK Unique-ID listing follows.\r\n1 uid-1\r\n2 uid-2\r\n", Bytes.Text(output.WrittenSpan));
    }

    [Fact]
    public async Task ListAsync_NoArgument_NoLineMadeBeforeTheReplyIsWritten()
    {
        var driver = await SessionDriver.LoggedInAsync();

        var reply = await driver.SendAsync("LIST");

        Assert.Equal(0, driver.Maildrop.Streamed);
        Assert.Equal(3, (await reply.StreamedLinesAsync()).Count);
    }

    [Fact]
    public async Task WriteStreamedAsync_LineStartingWithDot_ByteStuffed()
    {
        var reply = Pop3Replies.UidlFollows with { StreamedLines = Lines(".hidden", "plain") };
        var output = new ArrayBufferWriter<byte>();

        Assert.True(await Pop3ReplyWriter.WriteStreamedAsync(reply, output, () => ValueTask.FromResult(true), 1, CancellationToken.None));

        Assert.Equal("+OK Unique-ID listing follows.\r\n..hidden\r\nplain\r\n.\r\n", Bytes.Text(output.WrittenSpan));
    }

    private static async IAsyncEnumerable<string> Lines(params string[] lines)
    {
        foreach (var line in lines)
        {
            await Task.Yield();
            yield return line;
        }
    }
}
