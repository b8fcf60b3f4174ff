using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Tests;

/// <summary>The login-to-shard function: stored data depends on it never changing, and on its spread.</summary>
public sealed class AccountDirectoryShardsTests
{
    [Theory]
    [InlineData("alice", 542)]
    [InlineData("bob", 86)]
    [InlineData("user123456", 363)]
    [InlineData("", 11)]
    public void IndexOf_KnownLogins_SameShardAsEver(string login, int shard) =>
        Assert.Equal(shard, AccountDirectoryShards.IndexOf(login));

    [Fact]
    public void IndexOf_SequentialLogins_SpreadEvenlyOverAllShards()
    {
        var counts = new int[AccountDirectoryShards.Count];
        for (var i = 0; i < 200 * AccountDirectoryShards.Count; i++)
        {
            counts[AccountDirectoryShards.IndexOf($"user{i}")]++;
        }

        // 200 expected per shard; a fair hash keeps every shard within ±30 % (about 4 standard deviations).
        Assert.InRange(counts.Min(), 140, 200);
        Assert.InRange(counts.Max(), 200, 260);
    }

    [Fact]
    public void Key_ShardIndex_ThreeHexDigitsAfterTheDirectory() =>
        Assert.Equal("accounts/3ff", AccountDirectoryShards.Key("accounts", 1023));
}
