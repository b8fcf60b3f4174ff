using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Tests;

/// <summary>Paging the account directory: order, limits, prefixes and continuation tokens.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AccountDirectoryPagingTests(ClusterFixture fixture)
{
    /// <summary>A directory of its own per test (the grain key), so tests do not see each other's logins.</summary>
    private async Task<IAccountDirectoryGrain> DirectoryWithAsync(params string[] logins)
    {
        var directory = fixture.Grains.GetGrain<IAccountDirectoryGrain>("paging-" + Guid.NewGuid().ToString("N"));
        await directory.AddMany(logins);
        return directory;
    }

    [Fact]
    public async Task Page_AllFitInLimit_SortedWithoutNext()
    {
        var directory = await DirectoryWithAsync("carol", "alice", "bob");

        var page = await directory.Page(null, null, 10);

        Assert.Equal(["alice", "bob", "carol"], page.Logins);
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task Page_MoreThanLimit_NextContinuesWhereThePageEnded()
    {
        var directory = await DirectoryWithAsync("a1", "a2", "a3", "a4", "a5");

        var first = await directory.Page(null, null, 2);
        var second = await directory.Page(null, first.Next, 2);
        var third = await directory.Page(null, second.Next, 2);

        Assert.Equal(["a1", "a2"], first.Logins);
        Assert.Equal("a2", first.Next);
        Assert.Equal(["a3", "a4"], second.Logins);
        Assert.Equal(["a5"], third.Logins);
        Assert.Null(third.Next);
    }

    [Fact]
    public async Task Page_ExactlyLimitLeft_NoNext()
    {
        var directory = await DirectoryWithAsync("a1", "a2");

        var page = await directory.Page(null, null, 2);

        Assert.Equal(["a1", "a2"], page.Logins);
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task Page_Prefix_OnlyMatchingLoginsAcrossPages()
    {
        var directory = await DirectoryWithAsync("ann", "bob1", "bob2", "bob3", "bobby", "carl");

        var first = await directory.Page("bob", null, 3);
        var second = await directory.Page("bob", first.Next, 3);

        Assert.Equal(["bob1", "bob2", "bob3"], first.Logins);
        Assert.Equal(["bobby"], second.Logins);
        Assert.Null(second.Next);
    }

    [Fact]
    public async Task Page_AfterTokenNotALogin_StartsAtTheNextGreaterLogin()
    {
        var directory = await DirectoryWithAsync("a1", "a3", "a5");

        var page = await directory.Page(null, "a2", 10);

        Assert.Equal(["a3", "a5"], page.Logins);
    }

    [Fact]
    public async Task Page_AfterTokenBeforePrefix_StartsAtThePrefix()
    {
        var directory = await DirectoryWithAsync("a1", "b1", "b2");

        var page = await directory.Page("b", "a1", 10);

        Assert.Equal(["b1", "b2"], page.Logins);
    }

    [Fact]
    public async Task Page_LimitAboveMaximum_CutToMaximum()
    {
        var logins = Enumerable.Range(0, IAccountDirectoryGrain.MaxPageSize + 5).Select(i => $"u{i:D5}").ToArray();
        var directory = await DirectoryWithAsync(logins);

        var page = await directory.Page(null, null, int.MaxValue);

        Assert.Equal(IAccountDirectoryGrain.MaxPageSize, page.Logins.Count);
        Assert.Equal(logins[IAccountDirectoryGrain.MaxPageSize - 1], page.Next);
    }

    [Fact]
    public async Task Page_EmptyDirectory_EmptyPageWithoutNext()
    {
        var directory = fixture.Grains.GetGrain<IAccountDirectoryGrain>("paging-" + Guid.NewGuid().ToString("N"));

        var page = await directory.Page("x", null, 5);

        Assert.Empty(page.Logins);
        Assert.Null(page.Next);
    }
}
