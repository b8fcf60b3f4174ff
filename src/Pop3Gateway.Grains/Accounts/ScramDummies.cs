using System.Security.Cryptography;
using System.Text;
using Pop3Gateway.Abstractions.Security;
using Pop3Gateway.Grains.Security;

namespace Pop3Gateway.Grains.Accounts;

/// <summary>
/// Made-up SCRAM parameters for logins without keys (unknown account, or an account whose password
/// has not been proven since it was imported): the salt is an HMAC of the login under the cluster's
/// persistent secret (<see cref="IScramSecretGrain"/>), so it looks random yet repeats for the same
/// login on every silo and after restarts; the iteration count is that of real accounts.
/// </summary>
internal static class ScramDummies
{
    /// <summary>Keys that no proof matches: a proof is checked against them for the time a real check takes.</summary>
    public static readonly ScramCredential Keys = new([], ScramSha256.DefaultIterations, RandomNumberGenerator.GetBytes(32), new byte[32]);

    public static ScramChallenge Challenge(byte[] secret, string login) =>
        new(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(login))[..ScramSha256.SaltLength], ScramSha256.DefaultIterations);
}
