using Pop3Gateway.Grains.Accounts;

namespace Pop3Gateway.Grains.Tests;

public sealed class VerifiedPasswordCacheTests
{
    private readonly ShiftingTimeProvider _clock = new();
    private readonly PasswordHash _hash = PasswordHasher.Hash("right");

    [Fact]
    public void Matches_AfterRemember_SamePassword_True()
    {
        var cache = new VerifiedPasswordCache(_clock);
        cache.Remember("right", _hash);

        Assert.True(cache.Matches("right", _hash));
    }

    [Fact]
    public void Matches_NothingRemembered_False()
    {
        Assert.False(new VerifiedPasswordCache(_clock).Matches("right", _hash));
    }

    [Fact]
    public void Matches_OtherPassword_False()
    {
        var cache = new VerifiedPasswordCache(_clock);
        cache.Remember("right", _hash);

        Assert.False(cache.Matches("wrong", _hash));
        Assert.False(cache.Matches("Right", _hash));
    }

    [Fact]
    public void Matches_PasswordChangedToNewHash_False()
    {
        var cache = new VerifiedPasswordCache(_clock);
        cache.Remember("right", _hash);

        Assert.False(cache.Matches("right", PasswordHasher.Hash("right")));
    }

    [Fact]
    public void Matches_AfterLifetime_False()
    {
        var cache = new VerifiedPasswordCache(_clock);
        cache.Remember("right", _hash);

        _clock.Advance(VerifiedPasswordCache.Lifetime + TimeSpan.FromSeconds(1));

        Assert.False(cache.Matches("right", _hash));
    }
}
