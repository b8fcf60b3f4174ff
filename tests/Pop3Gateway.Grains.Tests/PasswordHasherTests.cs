using Pop3Gateway.Grains.Accounts;

namespace Pop3Gateway.Grains.Tests;

public sealed class PasswordHasherTests
{
    [Fact]
    public void Hash_SamePasswordTwice_DifferentSaltsAndBothVerify()
    {
        var first = PasswordHasher.Hash("secret");
        var second = PasswordHasher.Hash("secret");

        Assert.Equal("PBKDF2-SHA256", first.Algorithm);
        Assert.True(first.Iterations >= 100_000);
        Assert.Equal(16, first.Salt.Length);
        Assert.Equal(32, first.Hash.Length);
        Assert.NotEqual(first.Salt, second.Salt);
        Assert.True(PasswordHasher.Verify("secret", first));
        Assert.True(PasswordHasher.Verify("secret", second));
        Assert.False(PasswordHasher.Verify("Secret", first));
    }

    [Fact]
    public void Verify_TooFewIterations_Refused()
    {
        var weak = PasswordHasher.Hash("secret") with { Iterations = 1_000 };

        Assert.False(PasswordHasher.Verify("secret", weak));
    }

    [Fact]
    public void VerifyNothing_AnyPassword_Fails()
    {
        Assert.False(PasswordHasher.VerifyNothing(""));
        Assert.False(PasswordHasher.VerifyNothing("secret"));
    }
}
