using System.Security.Cryptography;
using System.Text;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Security;
using Pop3Gateway.Grains.Accounts;
using Pop3Gateway.Grains.Security;

namespace Pop3Gateway.Grains.Tests;

/// <summary>
/// Imported hashes are not SCRAM credentials: an account imported with <c>{PBKDF2-SHA256}</c> has no
/// SCRAM keys until a password login proves the password, and until then looks like an unknown login.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ScramImportTests(ClusterFixture fixture)
{
    private const string Message = "n=x,r=a,r=ab,s=x,i=1,c=biws,r=ab";

    [Fact]
    public async Task Provision_ImportedHash_HashDoesNotLogInBySaltedPasswordAndChallengeLooksUnknown()
    {
        var login = NewLogin();
        var hash = PasswordHasher.Hash("imported-pw");
        Assert.True((await Account(login).Provision(new ProvisionRequest(null, PasswordHashText.Format(hash), []))).IsOk);

        var challenge = await Account(login).GetScramChallenge();
        var unknown = await Account(NewLogin()).GetScramChallenge();

        Assert.Equal(ScramSha256.DefaultIterations, challenge.Iterations);
        Assert.Equal(unknown.Iterations, challenge.Iterations);
        Assert.NotEqual(hash.Salt, challenge.Salt);
        Assert.Equal(AuthStatus.Failed, (await Account(login).CheckScram(Message, ProofFromSalted(hash.Hash, Message))).Status);
        Assert.Equal(AuthStatus.Failed, (await Account(login).CheckScram(Message, Proof("imported-pw", challenge, Message))).Status);
    }

    [Fact]
    public async Task SignIn_ImportedHash_FirstPasswordLoginAddsScramKeysWithFreshSalt()
    {
        var login = NewLogin();
        var hash = PasswordHasher.Hash("imported-pw");
        await Account(login).Provision(new ProvisionRequest(null, PasswordHashText.Format(hash), []));
        var before = await Account(login).GetScramChallenge();

        Assert.Equal(AuthStatus.Failed, (await Account(login).CheckPassword("wrong")).Status);
        Assert.Equal(before.Salt, (await Account(login).GetScramChallenge()).Salt);
        Assert.Equal(AuthStatus.Ok, (await Account(login).CheckPassword("imported-pw")).Status);
        var after = await Account(login).GetScramChallenge();

        Assert.NotEqual(before.Salt, after.Salt);
        Assert.NotEqual(hash.Salt, after.Salt);
        Assert.Equal(ScramSha256.DefaultIterations, after.Iterations);
        Assert.Equal(AuthStatus.Ok, (await Account(login).CheckScram(Message, Proof("imported-pw", after, Message))).Status);
        Assert.Equal(AuthStatus.Failed, (await Account(login).CheckScram(Message, ProofFromSalted(hash.Hash, Message))).Status);
        // The hash is unchanged, so importing the same line again keeps the keys.
        await Account(login).Provision(new ProvisionRequest(null, PasswordHashText.Format(hash), []));
        Assert.Equal(after.Salt, (await Account(login).GetScramChallenge()).Salt);
        Assert.Equal(AuthStatus.Ok, (await Account(login).CheckScram(Message, Proof("imported-pw", after, Message))).Status);
    }

    [Fact]
    public async Task SignIn_ImportedHashOfDisabledAccount_KeysAddedAndScramAnswersDisabled()
    {
        var login = NewLogin();
        await Account(login).Provision(new ProvisionRequest(null, PasswordHashText.Format(PasswordHasher.Hash("imported-pw")), []));
        await Account(login).SetDisabled(true);

        Assert.Equal(AuthStatus.Disabled, (await Account(login).CheckPassword("imported-pw")).Status);
        var challenge = await Account(login).GetScramChallenge();

        Assert.Equal(AuthStatus.Disabled, (await Account(login).CheckScram(Message, Proof("imported-pw", challenge, Message))).Status);
        Assert.Equal(AuthStatus.Failed, (await Account(login).CheckScram(Message, Proof("other", challenge, Message))).Status);
    }

    [Fact]
    public async Task Provision_AnotherHash_KeysDropped()
    {
        var login = NewLogin();
        await Account(login).Provision(new ProvisionRequest("first-pw", null, []));
        var keyed = await Account(login).GetScramChallenge();
        Assert.Equal(AuthStatus.Ok, (await Account(login).CheckScram(Message, Proof("first-pw", keyed, Message))).Status);

        await Account(login).Provision(new ProvisionRequest(null, PasswordHashText.Format(PasswordHasher.Hash("second-pw")), []));

        Assert.Equal(AuthStatus.Failed, (await Account(login).CheckScram(Message, Proof("first-pw", keyed, Message))).Status);
        Assert.NotEqual(keyed.Salt, (await Account(login).GetScramChallenge()).Salt);
    }

    [Fact]
    public async Task Provision_Password_KeysFromPasswordWithDefaultIterations()
    {
        var login = NewLogin();
        await Account(login).Provision(new ProvisionRequest("plain-pw", null, []));

        var challenge = await Account(login).GetScramChallenge();
        await Account(login).Provision(new ProvisionRequest("plain-pw", null, []));

        Assert.Equal(ScramSha256.DefaultIterations, challenge.Iterations);
        Assert.Equal(challenge.Salt, (await Account(login).GetScramChallenge()).Salt);
        Assert.Equal(AuthStatus.Ok, (await Account(login).CheckScram(Message, Proof("plain-pw", challenge, Message))).Status);
    }

    [Fact]
    public async Task ScramSecretGrain_Get_SameSecretEveryCall()
    {
        var secret = fixture.Grains.GetGrain<IScramSecretGrain>(IScramSecretGrain.DefaultKey);

        var first = await secret.Get();
        var second = await secret.Get();

        Assert.Equal(32, first.Length);
        Assert.Equal(first, second);
    }

    private static byte[] Proof(string password, ScramChallenge challenge, string authMessage) =>
        ProofFromSalted(Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), challenge.Salt, challenge.Iterations, HashAlgorithmName.SHA256, 32), authMessage);

    /// <summary>RFC 5802 section 3 from SaltedPassword on: what an attacker holding an imported hash can compute.</summary>
    private static byte[] ProofFromSalted(byte[] salted, string authMessage)
    {
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var clientSignature = HMACSHA256.HashData(SHA256.HashData(clientKey), Encoding.UTF8.GetBytes(authMessage));
        return clientKey.Zip(clientSignature, (a, b) => (byte)(a ^ b)).ToArray();
    }

    private IAccountGrain Account(string login) => fixture.Grains.GetGrain<IAccountGrain>(login);

    private static string NewLogin() => "si" + Guid.NewGuid().ToString("N")[..12];
}
