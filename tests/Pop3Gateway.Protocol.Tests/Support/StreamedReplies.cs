using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.Tests.Support;

internal static class StreamedReplies
{
    /// <summary>All lines of a streamed multi-line reply, read to the end; fails the test when the reply is not streamed.</summary>
    public static async Task<List<string>> StreamedLinesAsync(this Pop3Reply reply)
    {
        Assert.Null(reply.Lines);
        var lines = new List<string>();
        await foreach (var line in reply.StreamedLines ?? throw new Xunit.Sdk.XunitException("not a streamed reply"))
        {
            lines.Add(line);
        }

        return lines;
    }
}
