using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.Tests.Session;

public sealed class Pop3UserNameTests
{
    private static readonly string[] NetbiosDomains = ["CORP", "EXAMPLE"];

    [Theory]
    [InlineData("alice", null, "alice", null)]
    [InlineData("example.com\\alice", "example.com", "alice", null)]
    [InlineData("alice\\sales", null, "alice", "sales")]
    [InlineData("example\\alice\\sales", "example", "alice", "sales")]
    [InlineData("example.com\\alice\\sales", "example.com", "alice", "sales")]
    [InlineData("alice@example.com", null, "alice@example.com", null)]
    public void TryParse_Form_Parts(string value, string? domain, string login, string? alias)
    {
        Assert.True(Pop3UserName.TryParse(value, out var name, out _));
        Assert.Equal(new Pop3UserName(domain, login, alias), name);
    }

    [Theory]
    [InlineData("CORP\\alice", "CORP", "alice", null)]
    [InlineData("corp\\alice", "corp", "alice", null)]
    [InlineData("Corp\\alice\\sales", "Corp", "alice", "sales")]
    [InlineData("example.com\\alice", "example.com", "alice", null)]
    [InlineData("alice\\sales", null, "alice", "sales")]
    [InlineData("OTHER\\alice", null, "OTHER", "alice")]
    [InlineData("alice", null, "alice", null)]
    public void TryParse_NetbiosDomainsConfigured_ListedPrefixIsDomainOthersAsBefore(string value, string? domain, string login, string? alias)
    {
        Assert.True(Pop3UserName.TryParse(value, NetbiosDomains, out var name, out _));
        Assert.Equal(new Pop3UserName(domain, login, alias), name);
    }

    [Theory]
    [InlineData("CORP\\alice", null, "CORP", "alice")]
    [InlineData("CORP\\alice\\sales", "CORP", "alice", "sales")]
    public void TryParse_NoNetbiosDomains_UndottedPrefixIsLogin(string value, string? domain, string login, string? alias)
    {
        Assert.True(Pop3UserName.TryParse(value, [], out var name, out _));
        Assert.Equal(new Pop3UserName(domain, login, alias), name);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("\\alice", "empty part")]
    [InlineData("alice\\", "empty part")]
    [InlineData("a\\\\b", "empty part")]
    [InlineData("a\\b\\c\\d", "too many parts")]
    public void TryParse_Malformed_Error(string value, string expected)
    {
        Assert.False(Pop3UserName.TryParse(value, out var name, out var error));
        Assert.Null(name);
        Assert.Equal(expected, error);
        Assert.False(Pop3UserName.TryParse(value, NetbiosDomains, out _, out var withDomains));
        Assert.Equal(expected, withDomains);
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("example.com\\alice")]
    [InlineData("alice\\sales")]
    [InlineData("example\\alice\\sales")]
    public void ToString_RoundTrips(string value)
    {
        Assert.True(Pop3UserName.TryParse(value, out var name, out _));
        Assert.Equal(value, name.ToString());
    }

    [Theory]
    [InlineData("corp\\alice")]
    [InlineData("CORP\\alice\\sales")]
    public void ToString_NetbiosDomain_RoundTrips(string value)
    {
        Assert.True(Pop3UserName.TryParse(value, NetbiosDomains, out var name, out _));
        Assert.Equal(value, name.ToString());
    }
}
