using System.Security.Cryptography;
using System.Text;
using Pop3Gateway.Grains.Security;

namespace Pop3Gateway.Grains.Accounts;

/// <summary>
/// Made-up SCRAM parameters for logins without keys (unknown account, or a password set before
/// keys were kept): the salt is an HMAC of the login under a key drawn at silo start, so it
/// looks random yet repeats for the same login, and the stored keys match no proof.
/// </summary>
internal static class ScramDummies
{
    private static readonly byte[] Secret = RandomNumberGenerator.GetBytes(32);

    public static ScramCredential For(string login)
    {
        var salt = HMACSHA256.HashData(Secret, Encoding.UTF8.GetBytes(login))[..ScramSha256.SaltLength];
        return new ScramCredential(salt, ScramSha256.DefaultIterations, RandomNumberGenerator.GetBytes(32), new byte[32]);
    }
}
