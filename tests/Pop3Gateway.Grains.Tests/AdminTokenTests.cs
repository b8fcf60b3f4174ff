using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Pop3Gateway.Grains.Security;

namespace Pop3Gateway.Grains.Tests;

/// <summary>Admin tokens: signed at most once a second, verified once per silo, and still refused when they lapse.</summary>
public sealed class AdminTokenTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private readonly X509Certificate2 _authority;
    private readonly AdminTrust _trust;

    public AdminTokenTests()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=test cluster CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        _authority = request.CreateSelfSigned(Now.AddDays(-1), Now.AddDays(30));
        _trust = new AdminTrust(_authority);
    }

    public void Dispose() => _authority.Dispose();

    private X509Certificate2 Issue(string unit, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=operator, OU={unit}", key, HashAlgorithmName.SHA256);
        using var issued = request.Create(_authority, Now.AddHours(-1), notAfter, RandomNumberGenerator.GetBytes(8));
        return issued.CopyWithPrivateKey(key);
    }

    [Fact]
    public void Signer_SameSecond_SameTokenVerifiedOnceThenRecalled()
    {
        using var admin = Issue(AdminRoles.AdminUnit, Now.AddDays(1));
        using var signer = new AdminToken.Signer(admin);

        var first = signer.TokenAt(Now);
        var again = signer.TokenAt(Now.AddMilliseconds(1));
        var next = signer.TokenAt(Now.AddSeconds(1));

        Assert.Same(first, again);
        Assert.NotEqual(first, next);
        Assert.Null(_trust.Recall(first));
        Assert.Equal(admin.Subject, AdminToken.Verify(first, _trust, Now, out _));
        Assert.Equal(admin.Subject, _trust.Recall(first)?.Identity);
        Assert.Equal(admin.Subject, AdminToken.Verify(first, _trust, Now, out _));
        Assert.Equal(admin.Subject, AdminToken.Verify(next, _trust, Now, out _));
    }

    [Fact]
    public void Verify_RecalledTokenPastItsValidity_RefusedAsOutOfDate()
    {
        using var admin = Issue(AdminRoles.AdminUnit, Now.AddDays(1));
        using var signer = new AdminToken.Signer(admin);
        var token = signer.TokenAt(Now);
        Assert.NotNull(AdminToken.Verify(token, _trust, Now, out _));

        Assert.Null(AdminToken.Verify(token, _trust, Now + AdminToken.Validity + TimeSpan.FromSeconds(2), out var refusal));
        Assert.Equal("admin credential out of date", refusal);
    }

    [Fact]
    public void Verify_RecalledTokenWhoseCertificateExpired_Refused()
    {
        using var admin = Issue(AdminRoles.AdminUnit, Now.AddMinutes(1));
        using var signer = new AdminToken.Signer(admin);
        var token = signer.TokenAt(Now);
        Assert.NotNull(AdminToken.Verify(token, _trust, Now, out _));

        Assert.Null(AdminToken.Verify(token, _trust, Now.AddMinutes(2), out var refusal));
        Assert.Equal("not an admin certificate of this cluster", refusal);
    }

    [Fact]
    public void Verify_OtherSignatureOfARecalledCertificateAndSecond_VerifiedAndRefused()
    {
        using var admin = Issue(AdminRoles.AdminUnit, Now.AddDays(1));
        using var signer = new AdminToken.Signer(admin);
        var token = signer.TokenAt(Now);
        Assert.NotNull(AdminToken.Verify(token, _trust, Now, out _));
        var parts = token.Split('.');
        var signature = Convert.FromBase64String(parts[2]);
        signature[^1] ^= 1;

        Assert.Null(AdminToken.Verify($"{parts[0]}.{parts[1]}.{Convert.ToBase64String(signature)}", _trust, Now, out var refusal));
        Assert.Equal("bad admin signature", refusal);
    }

    [Fact]
    public void Verify_NodeCertificate_RefusedAndNotRemembered()
    {
        using var node = Issue(AdminRoles.NodeUnit, Now.AddDays(1));
        using var signer = new AdminToken.Signer(node);
        var token = signer.TokenAt(Now);

        Assert.Null(AdminToken.Verify(token, _trust, Now, out var refusal));
        Assert.Equal("not an admin certificate of this cluster", refusal);
        Assert.Null(_trust.Recall(token));
    }
}
