namespace Pop3Gateway.Grains.Security;

/// <summary>
/// The cluster-wide secret behind the made-up SCRAM salts of logins without keys. Created once and
/// kept in grain storage, so a salt stays the same across silo restarts and grain moves. Called by
/// account grains only; front-ends never need it.
/// </summary>
[Alias("Pop3Gateway.IScramSecretGrain")]
public interface IScramSecretGrain : IGrainWithStringKey
{
    /// <summary>The one key under which the secret lives.</summary>
    public const string DefaultKey = "cluster";

    /// <summary>The secret, created and stored on the first call; a storage failure surfaces as an exception.</summary>
    [Alias("Get")] Task<byte[]> Get();
}
