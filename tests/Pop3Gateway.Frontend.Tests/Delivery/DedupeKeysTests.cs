using System.Security.Cryptography;
using Pop3Gateway.Frontend.Delivery;

namespace Pop3Gateway.Frontend.Tests.Delivery;

public sealed class DedupeKeysTests
{
    private static readonly byte[] Body = SHA256.HashData("body\r\n"u8);

    [Fact]
    public void Of_SameInput_SameKeyOfTwentyTwoUrlSafeCharacters()
    {
        var key = DedupeKeys.Of("<a@x>"u8, Body);

        Assert.Equal(key, DedupeKeys.Of("<a@x>"u8, Body));
        Assert.Equal(22, key.Length);
        Assert.Matches("^[A-Za-z0-9_-]+$", key);
    }

    [Fact]
    public void Of_OtherMessageIdOrOtherBody_OtherKey()
    {
        var key = DedupeKeys.Of("<a@x>"u8, Body);

        Assert.NotEqual(key, DedupeKeys.Of("<b@x>"u8, Body));
        Assert.NotEqual(key, DedupeKeys.Of("<a@x>"u8, SHA256.HashData("other\r\n"u8)));
    }
}
