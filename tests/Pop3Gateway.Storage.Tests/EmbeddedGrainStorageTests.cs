using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Pop3Gateway.Storage.Embedded;

namespace Pop3Gateway.Storage.Tests;

public sealed class EmbeddedGrainStorageTests : IDisposable
{
    private const string StateName = "state";
    private static readonly GrainId Grain = GrainId.Create("mailbox", "alice");

    private readonly TempDirectory _directory = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddSerializer().BuildServiceProvider();

    public void Dispose()
    {
        _services.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task ReadStateAsync_NothingWritten_ReportsNoRecord()
    {
        var state = new GrainState<TestState>(new TestState());

        await NewStorage().ReadStateAsync(StateName, Grain, state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
    }

    [Fact]
    public async Task WriteStateAsync_NewStorageInstance_ReadsTheSameState()
    {
        var written = new GrainState<TestState>(new TestState { Name = "alice", Items = ["a", "b"] });
        await NewStorage().WriteStateAsync(StateName, Grain, written);

        var read = new GrainState<TestState>(new TestState());
        await NewStorage().ReadStateAsync(StateName, Grain, read);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal("alice", read.State!.Name);
        Assert.Equal(["a", "b"], read.State.Items);
    }

    [Fact]
    public async Task WriteStateAsync_Twice_ETagIncreases()
    {
        var storage = NewStorage();
        var state = new GrainState<TestState>(new TestState { Name = "one" });

        await storage.WriteStateAsync(StateName, Grain, state);
        var first = long.Parse(state.ETag!);
        await storage.WriteStateAsync(StateName, Grain, state);
        var second = long.Parse(state.ETag!);

        Assert.Equal(first + 1, second);
    }

    [Fact]
    public async Task WriteStateAsync_StaleETag_ThrowsInconsistentState()
    {
        var storage = NewStorage();
        var winner = new GrainState<TestState>(new TestState { Name = "winner" });
        await storage.WriteStateAsync(StateName, Grain, winner);
        var loser = new GrainState<TestState>(new TestState()) { ETag = winner.ETag };
        await storage.WriteStateAsync(StateName, Grain, winner);

        loser.State = new TestState { Name = "loser" };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, Grain, loser));

        var read = new GrainState<TestState>(new TestState());
        await NewStorage().ReadStateAsync(StateName, Grain, read);
        Assert.Equal("winner", read.State!.Name);
    }

    [Fact]
    public async Task WriteStateAsync_NewRecordWithAnETag_ThrowsInconsistentState()
    {
        var state = new GrainState<TestState>(new TestState()) { ETag = "42" };

        await Assert.ThrowsAsync<InconsistentStateException>(() => NewStorage().WriteStateAsync(StateName, Grain, state));
    }

    [Fact]
    public async Task WriteStateAsync_Atomic_LeavesNoTempFiles()
    {
        var storage = NewStorage();
        var state = new GrainState<TestState>(new TestState { Name = "x" });
        for (var i = 0; i < 5; i++)
        {
            await storage.WriteStateAsync(StateName, Grain, state);
        }

        var files = Directory.GetFiles(Path.Combine(_directory.Path, "grains"), "*", SearchOption.AllDirectories);

        var file = Assert.Single(files);
        Assert.Equal(Path.Combine(_directory.Path, "grains", StateName, "mailbox", "alice.state"), file);
    }

    [Fact]
    public async Task ClearStateAsync_DeletesFile_AndOldETagNoLongerMatches()
    {
        var storage = NewStorage();
        var state = new GrainState<TestState>(new TestState { Name = "x" });
        await storage.WriteStateAsync(StateName, Grain, state);
        var oldETag = state.ETag;

        await storage.ClearStateAsync(StateName, Grain, state);

        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        Assert.Empty(Directory.GetFiles(Path.Combine(_directory.Path, "grains"), "*", SearchOption.AllDirectories));
        var stale = new GrainState<TestState>(new TestState()) { ETag = oldETag };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, Grain, stale));
    }

    [Fact]
    public async Task ClearStateAsync_StaleETag_ThrowsInconsistentState()
    {
        var storage = NewStorage();
        var state = new GrainState<TestState>(new TestState());
        await storage.WriteStateAsync(StateName, Grain, state);
        var stale = new GrainState<TestState>(new TestState()) { ETag = state.ETag };
        await storage.WriteStateAsync(StateName, Grain, state);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, Grain, stale));
    }

    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("a/b", "a%2Fb")]
    [InlineData(".x", "%2Ex")]
    [InlineData("..", "%2E.")]
    [InlineData("", "%")]
    public void EscapeSegment_UnsafeCharacters_AreEscaped(string value, string expected)
    {
        Assert.Equal(expected, EmbeddedGrainStorage.EscapeSegment(value));
    }

    private EmbeddedGrainStorage NewStorage() => new(
        new EmbeddedStorageOptions { DataDirectory = _directory.Path },
        new OrleansGrainStorageSerializer(_services.GetRequiredService<Serializer>()),
        TimeProvider.System);
}

[GenerateSerializer]
public sealed class TestState
{
    [Id(0)] public string Name { get; set; } = "";
    [Id(1)] public List<string> Items { get; set; } = [];
}
