using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Tests.Hashes;

/// <summary>An account imported with a Dovecot hash logs in with it once; then it holds the native hash and SCRAM keys.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MigratedHashSignInTests(ClusterFixture fixture)
{
    private const string Password = "Mig-r8ted pw";

    private const string Sha512Crypt =
        "{SHA512-CRYPT}$6$du.8/mxVz/FGwBLw$BngeMfZwCCXnr3o.BtBNmJtDKmvutgfrtVFBJb6kvOtYDsNCJ8QCZJMcKjdUyPo/9//MeIZZD3/TQSimLZDfE0";

    [Fact]
    public async Task SignIn_MigratedHashRightPassword_OkAndReplacedByNativeHash()
    {
        var account = await Import(Sha512Crypt);
        Assert.Equal("SHA512-CRYPT", (await account.Describe())!.MigratedScheme);

        var first = await account.SignIn(Password, new LoginTarget(null, null, LockPolicy.Exclusive));

        Assert.Equal(AuthStatus.Ok, first.Status);
        Assert.Null((await account.Describe())!.MigratedScheme);
        Assert.Equal(AuthStatus.Ok, (await account.SignIn(Password, new LoginTarget(null, null, LockPolicy.Exclusive))).Status);
        Assert.Equal(LoginReply.Failed, await account.SignIn("wrong", new LoginTarget(null, null, LockPolicy.Exclusive)));
    }

    [Fact]
    public async Task SignIn_MigratedHashWrongPassword_FailsAndKeepsTheMigratedHash()
    {
        var account = await Import(Sha512Crypt);

        var reply = await account.SignIn("wrong", new LoginTarget(null, null, LockPolicy.Exclusive));

        Assert.Equal(LoginReply.Failed, reply);
        Assert.Equal("SHA512-CRYPT", (await account.Describe())!.MigratedScheme);
    }

    [Fact]
    public async Task Provision_PlaintextScheme_InvalidArgument()
    {
        var login = "mig" + Guid.NewGuid().ToString("N")[..8];

        var result = await fixture.Grains.GetGrain<IAccountGrain>(login).Provision(new ProvisionRequest(null, "{PLAIN}secret", []));

        Assert.Equal(AdminStatus.InvalidArgument, result.Status);
        Assert.Null(await fixture.Grains.GetGrain<IAccountGrain>(login).Describe());
    }

    private async Task<IAccountGrain> Import(string hash)
    {
        var account = fixture.Grains.GetGrain<IAccountGrain>("mig" + Guid.NewGuid().ToString("N")[..8]);
        Assert.True((await account.Provision(new ProvisionRequest(null, hash, []))).IsOk);
        return account;
    }
}
