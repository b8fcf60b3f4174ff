using System.Security.Cryptography;
using System.Text;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Security;
using Pop3Gateway.Grains.Security;

namespace Pop3Gateway.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ScramAccountTests(ClusterFixture fixture)
{
    // RFC 7677 section 3: user "user", password "pencil".
    private const string Rfc7677AuthMessage =
        "n=user,r=rOprNGfwEbeRWgbNEkqO,"
        + "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,"
        + "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";

    [Fact]
    public void Verify_Rfc7677Example_ServerSignatureMatches()
    {
        var keys = ScramSha256.Derive("pencil", Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        var proof = Convert.FromBase64String("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");

        var signature = ScramSha256.Verify(keys, Rfc7677AuthMessage, proof);

        Assert.Equal("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", Convert.ToBase64String(signature!));
        proof[0] ^= 1;
        Assert.Null(ScramSha256.Verify(keys, Rfc7677AuthMessage, proof));
    }

    [Fact]
    public async Task SignInScram_CorrectProof_OkWithServerSignature()
    {
        var login = NewLogin();
        await Account(login).Create("s3cret");
        var challenge = await Account(login).GetScramChallenge();
        Assert.Equal(ScramSha256.DefaultIterations, challenge.Iterations);

        var authMessage = "n=" + login + ",r=abc,r=abcdef,s=" + Convert.ToBase64String(challenge.Salt) + ",i=" + challenge.Iterations + ",c=biws,r=abcdef";
        var (proof, expectedSignature) = Client("s3cret", challenge, authMessage);
        var result = await Account(login).CheckScram(authMessage, proof);

        Assert.Equal(AuthStatus.Ok, result.Status);
        Assert.Equal(login, result.Mailbox);
        Assert.Equal(expectedSignature, result.ServerSignature);
        var (wrong, _) = Client("other", challenge, authMessage);
        Assert.Equal(AuthStatus.Failed, (await Account(login).CheckScram(authMessage, wrong)).Status);
    }

    [Fact]
    public async Task SetPassword_NewScramKeys_OldPasswordFails()
    {
        var login = NewLogin();
        await Account(login).Create("first");
        var before = await Account(login).GetScramChallenge();
        await Account(login).SetPassword("second");
        var after = await Account(login).GetScramChallenge();

        Assert.NotEqual(before.Salt, after.Salt);
        const string message = "n=x,r=a,r=ab,s=x,i=1,c=biws,r=ab";
        Assert.Equal(AuthStatus.Failed, (await Account(login).CheckScram(message, Client("first", after, message).Proof)).Status);
        Assert.Equal(AuthStatus.Ok, (await Account(login).CheckScram(message, Client("second", after, message).Proof)).Status);
    }

    [Fact]
    public async Task UnknownAccount_StableMadeUpChallenge_AndFailure()
    {
        var login = NewLogin();
        var first = await Account(login).GetScramChallenge();
        var second = await Account(login).GetScramChallenge();
        var other = await Account(NewLogin()).GetScramChallenge();

        Assert.Equal(first.Salt, second.Salt);
        Assert.NotEqual(first.Salt, other.Salt);
        Assert.Equal(ScramSha256.DefaultIterations, first.Iterations);
        const string message = "n=x,r=a,r=ab,s=x,i=1,c=biws,r=ab";
        var result = await Account(login).CheckScram(message, Client("anything", first, message).Proof);
        Assert.Equal(AuthStatus.Failed, result.Status);
        Assert.Null(result.ServerSignature);
    }

    /// <summary>The client side of RFC 5802 section 3, written out here rather than taken from the code under test.</summary>
    private static (byte[] Proof, byte[] ServerSignature) Client(string password, ScramChallenge challenge, string authMessage)
    {
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), challenge.Salt, challenge.Iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var clientSignature = HMACSHA256.HashData(SHA256.HashData(clientKey), Encoding.UTF8.GetBytes(authMessage));
        var proof = clientKey.Zip(clientSignature, (a, b) => (byte)(a ^ b)).ToArray();
        var serverSignature = HMACSHA256.HashData(HMACSHA256.HashData(salted, "Server Key"u8), Encoding.UTF8.GetBytes(authMessage));
        return (proof, serverSignature);
    }

    private IAccountGrain Account(string login) => fixture.Grains.GetGrain<IAccountGrain>(login);

    private static string NewLogin() => "s" + Guid.NewGuid().ToString("N")[..12];
}
