using Pop3Gateway.Grains.Ldap;

namespace Pop3Gateway.Grains.Tests.Ldap;

public sealed class LdapFilterTests
{
    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("*", "\\2a")]
    [InlineData("a*)(uid=*", "a\\2a\\29\\28uid=\\2a")]
    [InlineData("back\\slash", "back\\5cslash")]
    [InlineData("nul\0byte", "nul\\00byte")]
    [InlineData("j\u00f6rg", "j\u00f6rg")]
    public void Escape_Metacharacters_HexEscaped(string value, string expected)
    {
        Assert.Equal(expected, LdapFilter.Escape(value));
    }

    [Fact]
    public void Format_ValueContainingPlaceholder_ReplacedOnceAndEscaped()
    {
        var filter = LdapFilter.Format("(|(uid={user})(userPrincipalName={login}))", ("login", "{user}*"), ("user", "x)"));

        Assert.Equal("(|(uid=x\\29)(userPrincipalName={user}\\2a))", filter);
    }

    [Fact]
    public void Format_UnknownPlaceholder_LeftAsIs()
    {
        Assert.Equal("(member={dn})(uid=a)", LdapFilter.Format("(member={dn})(uid={user})", ("user", "a")));
    }
}
