namespace Pop3Gateway.Protocol.Tests.Transcripts;

public sealed class TranscriptTests
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Transcripts");

    public static TheoryData<string> Files()
        => new(System.IO.Directory.GetFiles(Directory, "*.txt").Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Replay_AnyInputChunking_ServerSaysExactlyTheTranscript(string file)
    {
        var transcript = Transcript.Load(Path.Combine(Directory, file));
        foreach (var chunkSize in new[] { int.MaxValue, 1, 2, 3, 7, 64 })
        {
            var (serverText, backend) = await TranscriptRunner.RunAsync(transcript, chunkSize);
            Assert.Equal(transcript.ExpectedServerText, serverText);
            if (transcript.ExpectedDeleted is { } deleted)
            {
                Assert.Equal(deleted, backend.Opened?.Deleted);
            }
        }
    }

    [Fact]
    public void Files_Present()
    {
        Assert.True(Files().Count >= 5);
    }
}
