using System.Text;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Security;

namespace Pop3Gateway.Grains.Tests;

/// <summary>The one-call POP3 login: credentials, mailbox choice and the opened session.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AccountSignInTests(ClusterFixture fixture)
{
    [Fact]
    public async Task SignIn_RightPassword_OpensOwnMailboxWithSnapshot()
    {
        var login = await NewAccount();
        var body = await Deliver(login, "hello\n");
        var lease = NewLease();

        var reply = await Account(login).SignIn("secret", new LoginTarget(null, lease, LockPolicy.Exclusive));

        Assert.Equal(AuthStatus.Ok, reply.Status);
        Assert.Equal(login, reply.Mailbox);
        Assert.NotNull(reply.Session);
        Assert.Equal(MailboxStatus.Ok, reply.Session.Status);
        Assert.Equal(1, reply.Session.MessageCount);
        Assert.Equal(body.Size, reply.Session.Octets);
        Assert.Equal(lease, (await Mailbox(login).Describe()).Lock);
    }

    [Fact]
    public async Task SignIn_WrongPassword_FailsAndOpensNothing()
    {
        var login = await NewAccount();

        var reply = await Account(login).SignIn("wrong", new LoginTarget(null, NewLease(), LockPolicy.Exclusive));

        Assert.Equal(LoginReply.Failed, reply);
        Assert.Null((await Mailbox(login).Describe()).Lock);
    }

    [Fact]
    public async Task SignIn_UnknownAccount_FailsLikeAWrongPassword()
    {
        var reply = await Account("nobody" + Guid.NewGuid().ToString("N")[..8]).SignIn("secret", new LoginTarget(null, NewLease(), LockPolicy.Exclusive));

        Assert.Equal(LoginReply.Failed, reply);
    }

    [Fact]
    public async Task SignIn_MailboxLocked_OkCredentialsAndInUseSession()
    {
        var login = await NewAccount();
        await Account(login).SignIn("secret", new LoginTarget(null, NewLease("first"), LockPolicy.Exclusive));

        var reply = await Account(login).SignIn("secret", new LoginTarget(null, NewLease("second"), LockPolicy.Exclusive));

        Assert.Equal(AuthStatus.Ok, reply.Status);
        Assert.Equal(MailboxStatus.InUse, reply.Session?.Status);
        Assert.Equal("first", reply.Session?.LockHolder);
    }

    [Fact]
    public async Task SignIn_WithoutLease_ChecksCredentialsOnly()
    {
        var login = await NewAccount();

        var reply = await Account(login).SignIn("secret", new LoginTarget(null, null, LockPolicy.Exclusive));

        Assert.Equal(new LoginReply(AuthStatus.Ok, login, null, null), reply);
        Assert.Null((await Mailbox(login).Describe()).Lock);
    }

    [Fact]
    public async Task SignIn_GrantedAlias_OpensThatMailbox_OtherAliasFails()
    {
        var login = await NewAccount();
        var shared = await NewAccount();
        var other = await NewAccount();
        Assert.True((await Account(login).Grant(shared)).IsOk);

        var granted = await Account(login).SignIn("secret", new LoginTarget(shared.ToUpperInvariant(), NewLease(), LockPolicy.Exclusive));
        var refused = await Account(login).SignIn("secret", new LoginTarget(other, NewLease(), LockPolicy.Exclusive));

        Assert.Equal(shared, granted.Mailbox);
        Assert.Equal(MailboxStatus.Ok, granted.Session?.Status);
        Assert.Equal(LoginReply.Failed, refused);
        Assert.Null((await Mailbox(other).Describe()).Lock);
    }

    [Fact]
    public async Task SignIn_DisabledAccount_DisabledAndOpensNothing()
    {
        var login = await NewAccount();
        Assert.True((await Account(login).SetDisabled(true)).IsOk);

        var reply = await Account(login).SignIn("secret", new LoginTarget(null, NewLease(), LockPolicy.Exclusive));

        Assert.Equal(AuthStatus.Disabled, reply.Status);
        Assert.Null(reply.Session);
        Assert.Null((await Mailbox(login).Describe()).Lock);
    }

    [Fact]
    public async Task SignIn_ThrottledSuccess_ResetsTheAccountsFailureDelay_OnlyAfterAFailureItSaw()
    {
        var login = await NewAccount();
        var throttle = fixture.Grains.GetGrain<ILoginThrottleGrain>(ILoginThrottleGrain.ForAccount(login));
        await throttle.RecordFailure(Policy);
        await throttle.RecordFailure(Policy);

        // The first success after activation resets: failures may have been counted before it.
        Assert.Equal(AuthStatus.Ok, (await Account(login).SignIn("secret", Throttled())).Status);
        Assert.Equal(Policy.FirstDelay, (await throttle.RecordFailure(Policy)).Delay);

        // A failure the account grain never saw (counted by a front-end only) is not reset: no throttle call.
        Assert.Equal(AuthStatus.Ok, (await Account(login).SignIn("secret", Throttled())).Status);
        Assert.Equal(2 * Policy.FirstDelay, (await throttle.RecordFailure(Policy)).Delay);

        // After a failed sign-in, the next success resets again.
        Assert.Equal(LoginReply.Failed, await Account(login).SignIn("wrong", Throttled()));
        Assert.Equal(AuthStatus.Ok, (await Account(login).SignIn("secret", Throttled())).Status);
        Assert.Equal(Policy.FirstDelay, (await throttle.RecordFailure(Policy)).Delay);
    }

    [Fact]
    public async Task SignIn_TrustedSuccess_LeavesTheFailureDelay()
    {
        var login = await NewAccount();
        var throttle = fixture.Grains.GetGrain<ILoginThrottleGrain>(ILoginThrottleGrain.ForAccount(login));
        await throttle.RecordFailure(Policy);

        Assert.Equal(AuthStatus.Ok, (await Account(login).SignIn("secret", new LoginTarget(null, null, LockPolicy.Exclusive))).Status);

        Assert.Equal(2 * Policy.FirstDelay, (await throttle.RecordFailure(Policy)).Delay);
    }

    [Fact]
    public async Task ScramChallenge_ThenSuccess_ResetsTheFailureDelay()
    {
        var login = await NewAccount();
        var throttle = fixture.Grains.GetGrain<ILoginThrottleGrain>(ILoginThrottleGrain.ForAccount(login));
        Assert.Equal(AuthStatus.Ok, (await Account(login).SignIn("secret", Throttled())).Status);
        // An exchange that got its salt and was abandoned: the front-end counts it as a failure.
        await Account(login).GetScramChallenge();
        await throttle.RecordFailure(Policy);

        Assert.Equal(AuthStatus.Ok, (await Account(login).SignIn("secret", Throttled())).Status);

        Assert.Equal(Policy.FirstDelay, (await throttle.RecordFailure(Policy)).Delay);
    }

    private static readonly ThrottlePolicy Policy = new(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), 0, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(15));

    /// <summary>A login from a client whose failures the front-end counts; no session opened.</summary>
    private static LoginTarget Throttled() => new(null, null, LockPolicy.Exclusive, Throttled: true);

    private async Task<string> NewAccount()
    {
        var login = "s" + Guid.NewGuid().ToString("N")[..12];
        Assert.True((await Account(login).Create("secret")).IsOk);
        return login;
    }

    private async Task<StoredBody> Deliver(string mailbox, string text)
    {
        var body = await fixture.Bodies.WriteAsync(mailbox, new MemoryStream(Encoding.ASCII.GetBytes(text)), CancellationToken.None);
        Assert.Equal(MailboxStatus.Ok, (await Mailbox(mailbox).Deliver(new DeliveryRequest(body.BodyId, body.Size, null))).Status);
        return body;
    }

    private IAccountGrain Account(string login) => fixture.Grains.GetGrain<IAccountGrain>(login);

    private IMailboxGrain Mailbox(string name) => fixture.Grains.GetGrain<IMailboxGrain>(name);

    private static SessionLease NewLease(string holder = "client") => new(Guid.NewGuid(), holder);
}
