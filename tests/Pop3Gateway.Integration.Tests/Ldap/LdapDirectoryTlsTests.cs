using Microsoft.Extensions.Logging.Abstractions;
using Pop3Gateway.Grains.Ldap;

namespace Pop3Gateway.Integration.Tests.Ldap;

/// <summary>The directory client against slapd's LDAPS and StartTLS listeners: the server certificate must chain to the configured CA.</summary>
[Collection(LdapCollection.Name)]
public sealed class LdapDirectoryTlsTests(LdapFixture fixture)
{
    [Fact]
    public async Task CheckAsync_LdapsWithTheTestCa_VerifiedWithMailbox()
    {
        using var directory = Directory($"ldaps://127.0.0.1:{fixture.Slapd.LdapsPort}", startTls: false, fixture.Slapd.Certificates.CaPath);

        var answer = await directory.CheckAsync("alice", SlapdProcess.Password("alice"), CancellationToken.None);
        var wrong = await directory.CheckAsync("alice", "wrong", CancellationToken.None);

        Assert.Equal(DirectoryVerdict.Ok, answer.Verdict);
        Assert.Equal("alice", answer.Mailbox);
        Assert.Equal(DirectoryVerdict.Failed, wrong.Verdict);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CheckAsync_CertificateFromAnotherCa_UnavailableNeverVerified(bool startTls)
    {
        var other = TestCertificates.Create(fixture.Slapd.Root, "other" + Guid.NewGuid().ToString("N")[..6]);
        var url = startTls ? $"ldap://127.0.0.1:{fixture.Slapd.PlainPort}" : $"ldaps://127.0.0.1:{fixture.Slapd.LdapsPort}";
        using var directory = Directory(url, startTls, other.CaPath);

        var answer = await directory.CheckAsync("alice", SlapdProcess.Password("alice"), CancellationToken.None);

        Assert.Equal(DirectoryVerdict.Unavailable, answer.Verdict);
    }

    private static LdapDirectory Directory(string url, bool startTls, string caPath) => new(new LdapOptions
    {
        Url = url,
        StartTls = startTls,
        CaPath = caPath,
        BindDn = SlapdProcess.ServiceDn,
        BindPassword = SlapdProcess.ServicePassword,
        SearchBase = SlapdProcess.Suffix,
    }, NullLogger<LdapDirectory>.Instance);
}
