using System.Text;
using Pop3Gateway.Host.Cli.Export;
using Pop3Gateway.Host.Cli.Import;

namespace Pop3Gateway.Integration.Tests;

/// <summary>The export's mboxrd conversion on its own (no server): chunk boundaries anywhere, and the import undoes it.</summary>
public sealed class MboxrdQuoterTests
{
    private const string Stored =
        "Subject: q\r\n\r\nFrom a\r\n>From b\r\n>>From c\r\nFrom\r\n>Fro\r\n>\r\n>>\r\nFromage\r\n From d\r\n\r\nFrom e\r\n";

    private const string Expected =
        "Subject: q\n\n>From a\n>>From b\n>>>From c\nFrom\n>Fro\n>\n>>\nFromage\n From d\n\n>From e\n\n";

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(64 * 1024)]
    public void Convert_AnyChunkSize_QuotesFromLinesAndEndsWithTheSeparator(int chunkSize)
    {
        Assert.Equal(Expected, Quote(Stored, chunkSize));
    }

    [Theory]
    [InlineData("Subject: x\r\n\r\nno final newline", "Subject: x\n\nno final newline\n\n")]
    [InlineData("Subject: x\r\n\r\n>>Fr", "Subject: x\n\n>>Fr\n\n")]
    public void Finish_LastLineWithoutNewline_NewlineAddedBeforeTheSeparator(string stored, string expected)
    {
        Assert.Equal(expected, Quote(stored, 1));
    }

    [Fact]
    public async Task SplitAsync_WhatTheExportWrote_TheStoredBytesWithLfAndTheUidl()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"pop3gw-mboxrd-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            var mbox = Path.Combine(directory, "box.mbox");
            var envelope = $"From {MboxWriter.Sender} Mon Jan  1 00:00:00 2024\nX-UIDL: ";
            await File.WriteAllTextAsync(mbox, $"{envelope}u-1\n{Quote(Stored, 5)}{envelope}u-2\n{Quote("X-UIDL: own\r\n\r\nb\r\n", 5)}");

            var items = await MboxSplitter.SplitAsync(mbox, directory, MboxFormat.Mboxrd, CancellationToken.None);

            Assert.Equal(["u-1", "u-2"], items.Select(i => i.PreservedUidl));
            Assert.Equal(Stored.Replace("\r\n", "\n", StringComparison.Ordinal), await File.ReadAllTextAsync(items[0].File));
            Assert.Equal("X-UIDL: own\n\nb\n", await File.ReadAllTextAsync(items[1].File));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Quote(string stored, int chunkSize)
    {
        var quoter = new MboxrdQuoter();
        quoter.Start();
        var input = Encoding.ASCII.GetBytes(stored);
        var output = new MemoryStream();
        for (var offset = 0; offset < input.Length; offset += chunkSize)
        {
            output.Write(quoter.Convert(input.AsSpan(offset, Math.Min(chunkSize, input.Length - offset))).Span);
        }
        output.Write(quoter.Finish().Span);
        return Encoding.ASCII.GetString(output.ToArray());
    }
}
