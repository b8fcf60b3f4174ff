using Microsoft.Extensions.DependencyInjection;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Grains.Accounts;

namespace Pop3Gateway.Grains.Tests;

/// <summary>Logins while the silo's password-hashing wait line is full.</summary>
[Collection(ClusterCollection.Name)]
public sealed class BusyHashingTests(ClusterFixture fixture)
{
    private static readonly LoginTarget CredentialsOnly = new(null, null, LockPolicy.Exclusive);

    private PasswordWork Work => fixture.Cluster.GetSiloServiceProvider().GetRequiredService<PasswordWork>();

    [Fact]
    public async Task SignIn_HashingLineFull_BusyWithoutChecking()
    {
        var login = await NewAccount();

        LoginReply reply;
        await using (HashingLine.Fill(Work))
        {
            reply = await Account(login).SignIn("secret", CredentialsOnly);
        }

        Assert.Equal(new LoginReply(AuthStatus.Busy, null, null, null), reply);
        // Nothing was cached or spoiled: the next login, with the line free, checks and passes.
        Assert.Equal(AuthStatus.Ok, (await Account(login).SignIn("secret", CredentialsOnly)).Status);
    }

    [Fact]
    public async Task SignIn_UnknownAccountLineFull_BusyLikeAKnownOne()
    {
        LoginReply reply;
        await using (HashingLine.Fill(Work))
        {
            reply = await Account("nobody" + Guid.NewGuid().ToString("N")[..8]).SignIn("secret", CredentialsOnly);
        }

        Assert.Equal(new LoginReply(AuthStatus.Busy, null, null, null), reply);
    }

    [Fact]
    public async Task SignIn_VerifiedPasswordLineFull_PassesFromCache()
    {
        var login = await NewAccount();
        Assert.Equal(AuthStatus.Ok, (await Account(login).SignIn("secret", CredentialsOnly)).Status);

        LoginReply cached, wrong;
        await using (HashingLine.Fill(Work))
        {
            cached = await Account(login).SignIn("secret", new LoginTarget(null, new SessionLease(Guid.NewGuid(), "client"), LockPolicy.Exclusive));
            wrong = await Account(login).SignIn("wrong", CredentialsOnly);
        }

        Assert.Equal(AuthStatus.Ok, cached.Status);
        Assert.Equal(MailboxStatus.Ok, cached.Session?.Status);
        Assert.Equal(AuthStatus.Busy, wrong.Status);
    }

    private async Task<string> NewAccount()
    {
        var login = "busy" + Guid.NewGuid().ToString("N")[..8];
        Assert.True((await Account(login).Create("secret")).IsOk);
        return login;
    }

    private IAccountGrain Account(string login) => fixture.Grains.GetGrain<IAccountGrain>(login);
}
