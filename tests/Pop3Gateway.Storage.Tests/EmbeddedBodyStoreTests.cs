using System.Text;
using Microsoft.Extensions.Options;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;
using Pop3Gateway.Storage.Embedded;

namespace Pop3Gateway.Storage.Tests;

public sealed class EmbeddedBodyStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly EmbeddedBodyStore _store;

    public EmbeddedBodyStoreTests()
    {
        _store = new EmbeddedBodyStore(Options.Create(new EmbeddedStorageOptions { DataDirectory = _directory.Path }), TimeProvider.System);
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task WriteAsync_ThenOpenRead_ReturnsNormalizedBytesAndExactSize()
    {
        var stored = await _store.WriteAsync("alice", Ascii("Subject: hi\n\nline one\nline two"), CancellationToken.None);

        await using var stream = await _store.OpenReadAsync("alice", stored.BodyId, CancellationToken.None);
        using var reader = new MemoryStream();
        await stream.CopyToAsync(reader);
        var expected = "Subject: hi\r\n\r\nline one\r\nline two\r\n";
        Assert.Equal(expected, Encoding.ASCII.GetString(reader.ToArray()));
        Assert.Equal(expected.Length, stored.Size);
        Assert.True(BodyIds.IsWellFormed(stored.BodyId));
        Assert.True(File.Exists(Path.Combine(_directory.Path, "bodies", "alice", stored.BodyId + ".eml")));
    }

    [Fact]
    public async Task WriteAsync_LargerThanOneChunk_KeepsEveryByte()
    {
        var line = new string('x', 999) + "\n";
        var message = string.Concat(Enumerable.Repeat(line, 200));

        var stored = await _store.WriteAsync("alice", Ascii(message), CancellationToken.None);

        Assert.Equal(200 * 1001, stored.Size);
        await using var stream = await _store.OpenReadAsync("alice", stored.BodyId, CancellationToken.None);
        Assert.Equal(stored.Size, stream.Length);
    }

    [Fact]
    public async Task WriteAsync_EmptyMessage_IsRejectedAndLeavesNoFile()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _store.WriteAsync("alice", new MemoryStream(), CancellationToken.None));

        Assert.Contains("empty message", error.Message);
        // Refused before anything is created: not even the mailbox's directory.
        Assert.False(Directory.Exists(Path.Combine(_directory.Path, "bodies", "alice")));
    }

    [Fact]
    public async Task WriteAsync_Twice_GivesDistinctIdsAndNoTempFiles()
    {
        var first = await _store.WriteAsync("alice", Ascii("one"), CancellationToken.None);
        var second = await _store.WriteAsync("alice", Ascii("two"), CancellationToken.None);

        Assert.NotEqual(first.BodyId, second.BodyId);
        var files = Directory.GetFiles(Path.Combine(_directory.Path, "bodies", "alice")).Select(Path.GetFileName).ToList();
        Assert.Equal(2, files.Count);
        Assert.DoesNotContain(files, f => f!.StartsWith('.'));
    }

    [Fact]
    public async Task DeleteAsync_RemovesBodyAndIsIdempotent()
    {
        var stored = await _store.WriteAsync("alice", Ascii("bye"), CancellationToken.None);

        await _store.DeleteAsync("alice", stored.BodyId, CancellationToken.None);
        await _store.DeleteAsync("alice", stored.BodyId, CancellationToken.None);
        await _store.DeleteAsync("nobody", stored.BodyId, CancellationToken.None);

        Assert.False(await _store.ExistsAsync("alice", stored.BodyId, CancellationToken.None));
        await Assert.ThrowsAsync<FileNotFoundException>(() => _store.OpenReadAsync("alice", stored.BodyId, CancellationToken.None));
        await Assert.ThrowsAsync<FileNotFoundException>(() => _store.OpenReadAsync("nobody", stored.BodyId, CancellationToken.None));
    }

    [Fact]
    public async Task ExistsAsync_OtherMailbox_IsFalse()
    {
        var stored = await _store.WriteAsync("alice", Ascii("mine"), CancellationToken.None);

        Assert.True(await _store.ExistsAsync("alice", stored.BodyId, CancellationToken.None));
        Assert.False(await _store.ExistsAsync("bob", stored.BodyId, CancellationToken.None));
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData("Alice")]
    [InlineData("")]
    public async Task WriteAsync_InvalidMailboxName_IsRejected(string mailbox)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.WriteAsync(mailbox, Ascii("x"), CancellationToken.None));
    }

    [Fact]
    public async Task OpenReadAsync_PathInBodyId_IsRejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.OpenReadAsync("alice", "../x", CancellationToken.None));
    }

    [Fact]
    public async Task WriteAsync_DataDirectoryIsAFile_ThrowsStorageUnavailable()
    {
        var file = Path.Combine(_directory.Path, "not-a-directory");
        await File.WriteAllTextAsync(file, "x");
        var store = new EmbeddedBodyStore(Options.Create(new EmbeddedStorageOptions { DataDirectory = file }), TimeProvider.System);

        await Assert.ThrowsAsync<StorageUnavailableException>(() => store.WriteAsync("alice", Ascii("x"), CancellationToken.None));
    }

    private static MemoryStream Ascii(string text) => new(Encoding.ASCII.GetBytes(text));
}
