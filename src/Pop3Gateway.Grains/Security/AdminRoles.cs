using System.Security.Cryptography.X509Certificates;

namespace Pop3Gateway.Grains.Security;

/// <summary>
/// The two kinds of certificate the cluster CA issues, told apart by their organizational unit: nodes
/// (silos and front-ends) may connect; only admin certificates may change accounts.
/// </summary>
public static class AdminRoles
{
    public const string NodeUnit = "pop3gw-node";
    public const string AdminUnit = "pop3gw-admin";

    private const string OrganizationalUnitOid = "2.5.4.11";

    public static bool IsAdmin(X509Certificate2 certificate) => HasUnit(certificate, AdminUnit);

    public static bool HasUnit(X509Certificate2 certificate, string unit)
    {
        foreach (var name in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (name.GetSingleElementType().Value == OrganizationalUnitOid && name.GetSingleElementValue() == unit)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether <paramref name="certificate"/> chains to <paramref name="authority"/> alone, now.</summary>
    public static bool IsIssuedBy(X509Certificate2 certificate, X509Certificate2 authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        return chain.Build(certificate);
    }
}
