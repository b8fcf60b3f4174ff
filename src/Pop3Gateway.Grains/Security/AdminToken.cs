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

    /// <summary>
    /// Checks a token; returns the admin's identity (certificate subject), or null with the reason. A token this silo
    /// verified lately (<see cref="AdminTrust.Recall"/>) is not parsed or verified again: only its time and its
    /// certificate's expiry are checked, the parts of the answer that change.
    /// </summary>
    public static string? Verify(object? token, AdminTrust trust, DateTimeOffset now, out string refusal)
    {
        refusal = "";
        if (token is string known && trust.Recall(known) is { } verified)
        {
            if (verified.NotAfter <= now)
            {
                refusal = "not an admin certificate of this cluster";
                return null;
            }
            if (!IsCurrent(verified.Seconds, now))
            {
                refusal = "admin credential out of date";
                return null;
            }
            return verified.Identity;
        }
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
            if (!IsCurrent(seconds, now))
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
            trust.Remember(new VerifiedAdminToken(text, certificate.Subject, seconds, certificate.NotAfter.ToUniversalTime()));
            return certificate.Subject;
        }
        catch (Exception e) when (e is FormatException or CryptographicException or ArgumentException or OverflowException)
        {
            refusal = "malformed admin credential";
            return null;
        }
    }

    private static byte[] Signed(long seconds) => Encoding.ASCII.GetBytes($"{Purpose}\n{seconds}");

    private static bool IsCurrent(long seconds, DateTimeOffset now) =>
        (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() <= Validity;

    /// <summary>
    /// Signs the tokens of one admin certificate, at most one a second: the calls of one second (a bulk import makes
    /// thousands) carry the same token, which each silo verifies once. A token is valid for <see cref="Validity"/>
    /// whoever holds it, so sharing it within a second exposes nothing more.
    /// </summary>
    public sealed class Signer(X509Certificate2 admin) : IDisposable
    {
        private readonly ECDsa _key = admin.GetECDsaPrivateKey() ?? throw new InvalidOperationException("the admin certificate has no ECDSA private key");
        private readonly string _certificate = Convert.ToBase64String(admin.RawData);
        private readonly Lock _gate = new();
        private long _seconds = long.MinValue;
        private string _token = "";

        /// <summary>The token for calls made at <paramref name="now"/>.</summary>
        public string TokenAt(DateTimeOffset now)
        {
            var seconds = now.ToUnixTimeSeconds();
            lock (_gate)
            {
                if (seconds != _seconds)
                {
                    _token = $"{_certificate}.{seconds}.{Convert.ToBase64String(_key.SignData(Signed(seconds), HashAlgorithmName.SHA256))}";
                    _seconds = seconds;
                }
                return _token;
            }
        }

        public void Dispose() => _key.Dispose();
    }
}

/// <summary>A token <see cref="AdminToken.Verify"/> accepted: who signed it, for which second, and until when its certificate holds.</summary>
public sealed record VerifiedAdminToken(string Token, string Identity, long Seconds, DateTimeOffset NotAfter);

/// <summary>The cluster CA as the grains see it: which admin certificates it signed (those accepted are remembered).</summary>
public sealed class AdminTrust(X509Certificate2 authority)
{
    /// <summary>Slots for the tokens verified lately: fixed, so memory does not grow with tokens; a collision only costs a verification.</summary>
    private const int TokenSlots = 256;

    private readonly ConcurrentDictionary<string, bool> _accepted = new(StringComparer.Ordinal);
    private readonly VerifiedAdminToken?[] _tokens = new VerifiedAdminToken?[TokenSlots];

    /// <summary>The verification of <paramref name="token"/> remembered by <see cref="Remember"/>, if its slot still holds it.</summary>
    public VerifiedAdminToken? Recall(string token) =>
        Volatile.Read(ref _tokens[SlotOf(token)]) is { } verified && string.Equals(verified.Token, token, StringComparison.Ordinal) ? verified : null;

    /// <summary>Remembers a verified token, in place of whatever its slot held.</summary>
    public void Remember(VerifiedAdminToken verified) => Volatile.Write(ref _tokens[SlotOf(verified.Token)], verified);

    private static int SlotOf(string token) => (int)((uint)StringComparer.Ordinal.GetHashCode(token) % TokenSlots);

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
