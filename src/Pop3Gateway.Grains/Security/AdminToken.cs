using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Pop3Gateway.Grains.Security;

/// <summary>
/// Proof that a grain call was made with the admin credential, carried in the Orleans request context (which
/// follows the call into the grains it makes): the admin certificate and its signature over the time of the
/// call. Only the holder of an admin key can make one; a node certificate, which every front-end holds, cannot.
/// </summary>
public static class AdminToken
{
    /// <summary>The request-context key of the token.</summary>
    public const string ContextKey = "pop3gw-admin";

    /// <summary>How far a token's time may be from the silo's clock (covers skew and one long call chain).</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromMinutes(5);

    private const string Purpose = "pop3gw-admin-call";

    public static string Sign(X509Certificate2 admin, DateTimeOffset now)
    {
        using var key = admin.GetECDsaPrivateKey() ?? throw new InvalidOperationException("the admin certificate has no ECDSA private key");
        var seconds = now.ToUnixTimeSeconds();
        var signature = key.SignData(Signed(seconds), HashAlgorithmName.SHA256);
        return $"{Convert.ToBase64String(admin.RawData)}.{seconds}.{Convert.ToBase64String(signature)}";
    }

    /// <summary>Checks a token; returns the admin's identity (certificate subject), or null with the reason.</summary>
    public static string? Verify(object? token, AdminTrust trust, DateTimeOffset now, out string refusal)
    {
        refusal = "";
        if (token is not string text || text.Split('.') is not [var certificateText, var secondsText, var signatureText])
        {
            refusal = "no admin credential";
            return null;
        }
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(certificateText));
            if (!trust.IsAdmin(certificate))
            {
                refusal = "not an admin certificate of this cluster";
                return null;
            }
            var seconds = long.Parse(secondsText, System.Globalization.CultureInfo.InvariantCulture);
            if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Validity)
            {
                refusal = "admin credential out of date";
                return null;
            }
            using var key = certificate.GetECDsaPublicKey();
            if (key is null || !key.VerifyData(Signed(seconds), Convert.FromBase64String(signatureText), HashAlgorithmName.SHA256))
            {
                refusal = "bad admin signature";
                return null;
            }
            return certificate.Subject;
        }
        catch (Exception e) when (e is FormatException or CryptographicException or ArgumentException or OverflowException)
        {
            refusal = "malformed admin credential";
            return null;
        }
    }

    private static byte[] Signed(long seconds) => Encoding.ASCII.GetBytes($"{Purpose}\n{seconds}");
}

/// <summary>The cluster CA as the grains see it: which admin certificates it signed (those accepted are remembered).</summary>
public sealed class AdminTrust(X509Certificate2 authority)
{
    private readonly ConcurrentDictionary<string, bool> _accepted = new(StringComparer.Ordinal);

    public bool IsAdmin(X509Certificate2 certificate)
    {
        if (certificate.NotAfter <= DateTime.Now)
        {
            return false;
        }
        var hash = Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));
        if (_accepted.ContainsKey(hash))
        {
            return true;
        }
        // Refusals are not remembered: anyone may send any number of certificates.
        if (!AdminRoles.IsAdmin(certificate) || !AdminRoles.IsIssuedBy(certificate, authority))
        {
            return false;
        }
        _accepted[hash] = true;
        return true;
    }
}
