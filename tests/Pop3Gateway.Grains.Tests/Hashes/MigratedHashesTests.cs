using System.Text;
using Pop3Gateway.Grains.Accounts;
using Pop3Gateway.Grains.Accounts.Hashes;

namespace Pop3Gateway.Grains.Tests.Hashes;

/// <summary>Hashes written by Debian's <c>doveadm pw -s SCHEME -p 'Mig-r8ted pw'</c> (Dovecot 2.3), one per scheme.</summary>
public sealed class MigratedHashesTests
{
    private const string Password = "Mig-r8ted pw";

    public static TheoryData<string> DovecotHashes => new()
    {
        "{SHA512-CRYPT}$6$du.8/mxVz/FGwBLw$BngeMfZwCCXnr3o.BtBNmJtDKmvutgfrtVFBJb6kvOtYDsNCJ8QCZJMcKjdUyPo/9//MeIZZD3/TQSimLZDfE0",
        "{SHA256-CRYPT}$5$7Gh3T54Db8ywsvzF$rZ.Ssiu3.6lNJFdJtb3zevtryJ2KFv.v1DVS32JUpl2",
        "{BLF-CRYPT}$2y$05$7QtNJTMODVv47KP1oenhEuC9HQ/X7mtxjatvHhFMLlFnHNkcTnwP6",
        "{CRYPT}$2y$05$EkzarOKI11Mv7nbkf/GdB.PV2ESiF/QdS52d1paR6.tTn.vyHfujW",
        "{ARGON2I}$argon2i$v=19$m=32768,t=4,p=1$26BIO1bl4vu/1K+X8TBAAA$z7f9Hf/M5ZDj4PXtlgTaKp6NBhLtXF874YFyN6TTisc",
        "{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$6Y6u/lhhESfoftpGBiKqaw$hIRfZzuxvCPjv44F3MpZjrN4ISZfByjaz+0Q856Mmok",
        "{SSHA256}VNwEM2jl6FXKVZeCC4qLr65kXXhauI+o/p3bpOAnvvtBoatd",
        "{SSHA512}w568WI0gmI886JDrfVCKyYmaW16Hn0vbAPpDKqLVUV5CWVOjGLyr7CsbudjB5FE5NF1uwwRwoVy3lfNbcgXFmwRbaOE=",
        "{SSHA256.HEX}1a3c5a96705cf3170fb4a33a7efafc38759567976d6be1018196f07b9fcb4d59464c8273",
        "{SSHA512.B64}QAj5WHfU3Sgw/074s0Kt5i4cIUDk80DXi+LHEDyzasWGHHvt5Bdi3z76qjxePZKWyR6vnGLnIJcLcXmocNcZ4ibpXGs=",
        "{PBKDF2}$1$qhqxZQVrj8o/iWlV$5000$b3356aea4beba0195a8e16ad9c75082c54b0f50c",
    };

    [Theory]
    [MemberData(nameof(DovecotHashes))]
    public void Verify_DoveadmHash_RightPasswordOnly(string text)
    {
        Assert.True(PasswordHashText.TryParse(text, out var hash, out var error), error);

        Assert.False(PasswordHasher.IsNative(hash));
        Assert.True(PasswordHasher.Verify(Password, hash));
        Assert.False(PasswordHasher.Verify(Password + " ", hash));
        Assert.False(PasswordHasher.Verify("", hash));
        Assert.Equal(text, PasswordHashText.Format(hash));
    }

    [Theory]
    [InlineData("{PLAIN}secret")]
    [InlineData("{CLEARTEXT}secret")]
    [InlineData("{PLAIN-MD5}5ebe2294ecd0e0f08eab7690d2a6ee69")]
    [InlineData("{MD5-CRYPT}$1$abc$def")]
    [InlineData("{SHA512-CRYPT}$5$7Gh3T54Db8ywsvzF$rZ.Ssiu3.6lNJFdJtb3zevtryJ2KFv.v1DVS32JUpl2")]
    [InlineData("{SHA512-CRYPT}$6$rounds=500000000$salt$hash")]
    [InlineData("{BLF-CRYPT}$2y$31$7QtNJTMODVv47KP1oenhEuC9HQ/X7mtxjatvHhFMLlFnHNkcTnwP6")]
    [InlineData("{ARGON2ID}$argon2id$v=19$m=4194304,t=3,p=1$6Y6u/lhhESfoftpGBiKqaw$hIRfZzuxvCPjv44F3MpZjrN4ISZfByjaz+0Q856Mmok")]
    [InlineData("{ARGON2I}$argon2id$v=19$m=65536,t=3,p=1$6Y6u/lhhESfoftpGBiKqaw$hIRfZzuxvCPjv44F3MpZjrN4ISZfByjaz+0Q856Mmok")]
    [InlineData("{SSHA256}dG9vc2hvcnQ=")]
    [InlineData("{PBKDF2}$1$salt$5000$nothex")]
    [InlineData("{SHA512-CRYPT.HEX}$6$salt$hash")]
    public void TryParse_PlaintextWeakMismatchedOrOutOfBounds_RefusedWithReason(string text)
    {
        Assert.True(PasswordHashText.IsHashText(text));

        Assert.False(PasswordHashText.TryParse(text, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Verify_UnknownAlgorithmStored_False()
    {
        var stored = new PasswordHash("PLAIN", 0, [], Encoding.UTF8.GetBytes(Password));

        Assert.False(MigratedHashes.Verify(Password, stored));
    }

    [Fact]
    public void IsHashText_PasswordWithBracesButNoScheme_Plaintext()
    {
        Assert.False(PasswordHashText.IsHashText("{} not a scheme"));
        Assert.False(PasswordHashText.IsHashText("{has space}pw"));
        Assert.False(PasswordHashText.IsHashText("plain-pw"));
    }
}
