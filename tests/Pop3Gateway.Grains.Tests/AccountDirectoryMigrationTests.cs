using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;
using Pop3Gateway.Grains.Accounts;

namespace Pop3Gateway.Grains.Tests;

/// <summary>A directory stored by older versions as one record is moved into the shards on first use, once.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AccountDirectoryMigrationTests(ClusterFixture fixture)
{
    /// <summary>Writes <paramref name="logins"/> as older versions did: one record, grain type and state name of the old directory.</summary>
    private async Task<string> WriteOldRecordAsync(IEnumerable<string> logins)
    {
        var key = "migrate-" + Guid.NewGuid().ToString("N");
        var storage = fixture.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(StorageNames.Mailboxes);
        var state = new GrainState<AccountDirectoryState>(new AccountDirectoryState { Logins = [.. logins.Order(StringComparer.Ordinal)] });
        await storage.WriteStateAsync("directory", GrainId.Create("accountdirectory", key), state);
        return key;
    }

    private static async Task<List<string>> AllAsync(IAccountDirectoryGrain directory)
    {
        var all = new List<string>();
        string? next = null;
        do
        {
            var page = await directory.Page(null, next, IAccountDirectoryGrain.MaxPageSize);
            all.AddRange(page.Logins);
            next = page.Next;
        }
        while (next is not null);
        return all;
    }

    /// <summary>Every idle activation ends, so the shards load from storage again at the next call.</summary>
    private Task DeactivateAllAsync() =>
        fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

    [Fact]
    public async Task Page_OldSingleRecord_EveryLoginListed()
    {
        var logins = Enumerable.Range(0, 2500).Select(i => $"old{i}").ToArray();
        var directory = fixture.Grains.GetGrain<IAccountDirectoryGrain>(await WriteOldRecordAsync(logins));

        Assert.Equal(logins.Order(StringComparer.Ordinal), await AllAsync(directory));
    }

    [Fact]
    public async Task Add_OldSingleRecord_NewLoginJoinsTheMigratedOnes()
    {
        var directory = fixture.Grains.GetGrain<IAccountDirectoryGrain>(await WriteOldRecordAsync(["ann", "bob"]));

        await directory.Add("cat");

        Assert.Equal(["ann", "bob", "cat"], await AllAsync(directory));
    }

    [Fact]
    public async Task Remove_AfterMigrationAndReactivation_LoginStaysRemoved()
    {
        var logins = Enumerable.Range(0, 300).Select(i => $"gone{i}").ToArray();
        var directory = fixture.Grains.GetGrain<IAccountDirectoryGrain>(await WriteOldRecordAsync(logins));
        Assert.Equal(logins.Length, (await AllAsync(directory)).Count);

        await directory.Remove("gone7");
        await DeactivateAllAsync();

        // The old record is still there, but a shard that took its part never takes it again.
        Assert.Equal(logins.Where(l => l != "gone7").Order(StringComparer.Ordinal), await AllAsync(directory));
    }

    [Fact]
    public async Task Page_MigrationWriteFails_RetryListsEveryLogin()
    {
        var logins = Enumerable.Range(0, 400).Select(i => $"flaky{i}").ToArray();
        var directory = fixture.Grains.GetGrain<IAccountDirectoryGrain>(await WriteOldRecordAsync(logins));
        fixture.Faults.FailWrites = true;
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => directory.Page(null, null, 10));
        }
        finally
        {
            fixture.Faults.FailWrites = false;
        }

        Assert.Equal(logins.Order(StringComparer.Ordinal), await AllAsync(directory));
    }
}
