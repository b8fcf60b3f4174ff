using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Storage.Azure;
using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Storage.Tests;

/// <summary>The Azure body and segment stores against a real Azurite.</summary>
public sealed class AzureStoresTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private readonly AzureStorageOptions _options = azurite.Options("t" + Guid.NewGuid().ToString("N")[..10]);

    private AzureBodyStore Bodies => new(AzureClients.Blobs(_options), _options, TimeProvider.System);

    private AzureSegmentStore Segments => new(AzureClients.Blobs(_options), _options);

    [Fact]
    public async Task Body_WriteThenRead_NormalizedBytesAndExactSize()
    {
        var bodies = Bodies;

        var stored = await bodies.WriteAsync("alice", new MemoryStream("Subject: x\n\nbare lf\rbare cr"u8.ToArray()), CancellationToken.None);
        await using var read = await bodies.OpenReadAsync("alice", stored.BodyId, CancellationToken.None);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);

        Assert.Equal("Subject: x\r\n\r\nbare lf\r\nbare cr\r\n"u8.ToArray(), copy.ToArray());
        Assert.Equal(copy.Length, stored.Size);
        Assert.True(await bodies.ExistsAsync("alice", stored.BodyId, CancellationToken.None));
    }

    [Fact]
    public async Task Body_LargerThanOneChunk_RoundTrips()
    {
        var bodies = Bodies;
        var message = Enumerable.Range(0, 20_000).SelectMany(i => System.Text.Encoding.ASCII.GetBytes($"line {i}\r\n")).ToArray();

        var stored = await bodies.WriteAsync("bob", new MemoryStream(message), CancellationToken.None);
        await using var read = await bodies.OpenReadAsync("bob", stored.BodyId, CancellationToken.None);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);

        Assert.Equal(message, copy.ToArray());
    }

    [Fact]
    public async Task Body_Empty_RejectedAndNothingStored()
    {
        var bodies = Bodies;

        await Assert.ThrowsAsync<ArgumentException>(() => bodies.WriteAsync("carol", new MemoryStream(), CancellationToken.None));

        Assert.Empty(await ToList(bodies.ListAsync("carol", CancellationToken.None)));
    }

    [Fact]
    public async Task Body_DeleteAndList_GoneFromListingAndReadThrowsNotFound()
    {
        var bodies = Bodies;
        var kept = await bodies.WriteAsync("dave", new MemoryStream("a\r\n"u8.ToArray()), CancellationToken.None);
        var gone = await bodies.WriteAsync("dave", new MemoryStream("b\r\n"u8.ToArray()), CancellationToken.None);

        await bodies.DeleteAsync("dave", gone.BodyId, CancellationToken.None);
        await bodies.DeleteAsync("dave", gone.BodyId, CancellationToken.None);

        Assert.Equal([kept.BodyId], (await ToList(bodies.ListAsync("dave", CancellationToken.None))).Select(b => b.BodyId));
        await Assert.ThrowsAsync<FileNotFoundException>(() => bodies.OpenReadAsync("dave", gone.BodyId, CancellationToken.None));
        Assert.False(await bodies.ExistsAsync("dave", gone.BodyId, CancellationToken.None));
    }

    [Fact]
    public async Task Segment_WriteReadListDelete()
    {
        var segments = Segments;
        MessageEntry[] entries = [new("u1", 10, "B1"), new("u2", 20, "B2")];

        await segments.WriteAsync("erin", "S1", SegmentCodec.Encode(entries), CancellationToken.None);
        var read = SegmentCodec.Decode(await segments.ReadAsync("erin", "S1", CancellationToken.None), "S1");
        var listed = await ToList(segments.ListAsync("erin", CancellationToken.None));
        await segments.DeleteAsync("erin", "S1", CancellationToken.None);

        Assert.Equal(entries, read);
        Assert.Equal(["S1"], listed.Select(s => s.Name));
        await Assert.ThrowsAsync<InvalidDataException>(() => segments.ReadAsync("erin", "S1", CancellationToken.None));
    }

    [Fact]
    public async Task Unreachable_EveryOperation_StorageUnavailableWithinSeconds()
    {
        var options = new AzureStorageOptions { ConnectionString = AzuriteFixture.Unreachable() };
        var bodies = new AzureBodyStore(AzureClients.Blobs(options), options, TimeProvider.System);
        var segments = new AzureSegmentStore(AzureClients.Blobs(options), options);
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAsync<StorageUnavailableException>(() => bodies.WriteAsync("frank", new MemoryStream("x\r\n"u8.ToArray()), CancellationToken.None));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => bodies.OpenReadAsync("frank", "B1", CancellationToken.None));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => segments.WriteAsync("frank", "S1", new byte[] { 1 }, CancellationToken.None));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => segments.ReadAsync("frank", "S1", CancellationToken.None));

        // Four operations, each a refused connection plus two short retries: seconds, not the SDK's default minutes.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task<List<T>> ToList<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }
        return list;
    }

    /// <summary>Counts the requests a blob client sends, by method.</summary>
    private sealed class RequestCounter : HttpPipelinePolicy
    {
        public ConcurrentQueue<string> Requests { get; } = new();

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Requests.Enqueue(message.Request.Method + " " + message.Request.Uri.Query);
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Requests.Enqueue(message.Request.Method + " " + message.Request.Uri.Query);
            return ProcessNextAsync(message, pipeline);
        }
    }

    private (AzureBodyStore Bodies, RequestCounter Counter) CountedBodies()
    {
        var counter = new RequestCounter();
        var clientOptions = new BlobClientOptions();
        clientOptions.AddPolicy(counter, HttpPipelinePosition.PerRetry);
        return (new AzureBodyStore(new BlobServiceClient(_options.ConnectionString, clientOptions), _options, TimeProvider.System), counter);
    }

    private static byte[] Message(int lines) =>
        [.. Enumerable.Range(0, lines).SelectMany(i => System.Text.Encoding.ASCII.GetBytes($"line {i:d6} of a message body.\r\n"))];

    [Fact]
    public async Task Body_UpToTheSingleRequestLimit_OneRequestAndRoundTrips()
    {
        var (bodies, counter) = CountedBodies();
        await bodies.WriteAsync("warm", new MemoryStream("Subject: container\r\n\r\nx\r\n"u8.ToArray()), CancellationToken.None);
        var message = Message(BodyUploadStream.SingleRequestLimit / 32);
        Assert.Equal(BodyUploadStream.SingleRequestLimit, message.Length);
        counter.Requests.Clear();

        var stored = await bodies.WriteAsync("carol", new MemoryStream(message), CancellationToken.None);

        Assert.Equal(["PUT "], counter.Requests);
        await using var read = await bodies.OpenReadAsync("carol", stored.BodyId, CancellationToken.None);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(message, copy.ToArray());
        Assert.Equal(SHA256.HashData(message), stored.Sha256);
    }

    [Fact]
    public async Task Body_AboveTheSingleRequestLimit_StagedInBlocksAndRoundTrips()
    {
        var (bodies, counter) = CountedBodies();
        await bodies.WriteAsync("warm", new MemoryStream("Subject: container\r\n\r\nx\r\n"u8.ToArray()), CancellationToken.None);
        var message = Message(BodyUploadStream.SingleRequestLimit / 32 * 5 + 7);
        counter.Requests.Clear();

        var stored = await bodies.WriteAsync("dave", new MemoryStream(message), CancellationToken.None);

        Assert.Contains(counter.Requests, r => r.Contains("comp=block&", StringComparison.Ordinal));
        Assert.Contains(counter.Requests, r => r.Contains("comp=blocklist", StringComparison.Ordinal));
        await using var read = await bodies.OpenReadAsync("dave", stored.BodyId, CancellationToken.None);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(message, copy.ToArray());
        Assert.Equal(message.Length, stored.Size);
    }

    [Fact]
    public async Task Body_SourceFailsMidway_NothingStored()
    {
        var (bodies, counter) = CountedBodies();
        var source = new FailingAfter(Message(1000), failAt: 20_000);

        await Assert.ThrowsAnyAsync<Exception>(() => bodies.WriteAsync("erin", source, CancellationToken.None));

        Assert.DoesNotContain(counter.Requests, r => r.StartsWith("PUT ", StringComparison.Ordinal) && !r.Contains("restype=container", StringComparison.Ordinal));
        await foreach (var body in bodies.ListAsync("erin", CancellationToken.None))
        {
            Assert.Fail($"body {body.BodyId} was stored");
        }
    }

    /// <summary>A source that fails once <paramref name="failAt"/> bytes were read, as a dropped client would.</summary>
    private sealed class FailingAfter(byte[] content, int failAt) : MemoryStream(content)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position >= failAt ? throw new IOException("client went away") : base.ReadAsync(buffer[..Math.Min(buffer.Length, failAt - (int)Position)], cancellationToken);
    }
}
