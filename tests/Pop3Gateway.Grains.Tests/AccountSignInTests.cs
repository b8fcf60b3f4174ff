using System.Text;
using Pop3Gateway.Abstractions;

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
