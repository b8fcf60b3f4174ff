using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class AccountGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Create_NewLogin_CreatesAccountMailboxAndDirectoryEntry()
    {
        var login = NewLogin();

        var result = await Account(login).Create("secret");

        Assert.Equal(AdminStatus.Ok, result.Status);
        var info = await Account(login).Describe();
        Assert.NotNull(info);
        Assert.Equal(login, info.Login);
        Assert.Equal(login, info.Mailbox);
        Assert.Empty(info.GrantedMailboxes);
        Assert.True((await fixture.Grains.GetGrain<IMailboxGrain>(login).Describe()).Exists);
        Assert.Contains(login, (await fixture.Grains.GetGrain<IAccountDirectoryGrain>(IAccountDirectoryGrain.DefaultKey).Page(login, null, 1)).Logins);
    }

    [Fact]
    public async Task Create_Twice_AlreadyExists()
    {
        var login = NewLogin();
        await Account(login).Create("secret");

        var result = await Account(login).Create("other");

        Assert.Equal(AdminStatus.AlreadyExists, result.Status);
        Assert.Equal(AuthStatus.Ok, (await Account(login).CheckPassword("secret")).Status);
    }

    [Theory]
    [InlineData("Upper")]
    [InlineData("-dash")]
    [InlineData("a/b")]
    public async Task Create_LoginNotNormalized_InvalidArgument(string login)
    {
        var result = await Account(login).Create("secret");

        Assert.Equal(AdminStatus.InvalidArgument, result.Status);
        Assert.Null(await Account(login).Describe());
    }

    [Theory]
    [InlineData("")]
    [InlineData("pass\r\nword")]
    [InlineData("pass\nword")]
    [InlineData("pass\0word")]
    public async Task Create_BadPassword_InvalidArgument(string password)
    {
        var login = NewLogin();

        var result = await Account(login).Create(password);

        Assert.Equal(AdminStatus.InvalidArgument, result.Status);
        Assert.Null(await Account(login).Describe());
    }

    [Fact]
    public async Task SignIn_RightPassword_OwnMailboxAndGrantedOnes()
    {
        var login = NewLogin();
        var shared = NewLogin();
        await Account(login).Create("secret");
        await Account(shared).Create("other");
        await Account(login).Grant(shared);

        var result = await Account(login).CheckPassword("secret");

        Assert.Equal(AuthStatus.Ok, result.Status);
        Assert.Equal(login, result.Mailbox);
        Assert.Equal(shared, (await Account(login).CheckPassword("secret", shared)).Mailbox);
    }

    [Fact]
    public async Task SignIn_WrongPassword_Failed()
    {
        var login = NewLogin();
        await Account(login).Create("secret");

        var result = await Account(login).CheckPassword("Secret");

        Assert.Equal(AuthStatus.Failed, result.Status);
        Assert.Null(result.Mailbox);
    }

    [Fact]
    public async Task SignIn_UnknownAccount_FailedLikeAWrongPassword()
    {
        var result = await Account(NewLogin()).CheckPassword("secret");

        Assert.Equal(AuthStatus.Failed, result.Status);
        Assert.Equal(LoginReply.Failed, result);
    }

    [Fact]
    public async Task SetPassword_NewPassword_ReplacesOld()
    {
        var login = NewLogin();
        await Account(login).Create("old");

        Assert.Equal(AdminStatus.Ok, (await Account(login).SetPassword("new")).Status);

        Assert.Equal(AuthStatus.Failed, (await Account(login).CheckPassword("old")).Status);
        Assert.Equal(AuthStatus.Ok, (await Account(login).CheckPassword("new")).Status);
    }

    [Fact]
    public async Task SetPassword_UnknownAccount_NoSuchAccount()
    {
        Assert.Equal(AdminStatus.NoSuchAccount, (await Account(NewLogin()).SetPassword("x")).Status);
    }

    [Fact]
    public async Task Grant_ExistingMailbox_IsIdempotentAndNormalized()
    {
        var login = NewLogin();
        var shared = NewLogin();
        await Account(login).Create("secret");
        await fixture.Grains.GetGrain<IMailboxGrain>(shared).Create();

        Assert.Equal(AdminStatus.Ok, (await Account(login).Grant(shared.ToUpperInvariant())).Status);
        Assert.Equal(AdminStatus.Ok, (await Account(login).Grant(shared)).Status);

        var info = await Account(login).Describe();
        Assert.Equal([shared], info!.GrantedMailboxes);
    }

    [Fact]
    public async Task Grant_MissingMailbox_NoSuchMailbox()
    {
        var login = NewLogin();
        await Account(login).Create("secret");

        var result = await Account(login).Grant(NewLogin());

        Assert.Equal(AdminStatus.NoSuchMailbox, result.Status);
    }

    [Fact]
    public async Task Grant_UnknownAccount_NoSuchAccount()
    {
        Assert.Equal(AdminStatus.NoSuchAccount, (await Account(NewLogin()).Grant("x")).Status);
    }

    [Fact]
    public async Task Create_StorageFails_StorageUnavailableAndRetrySucceeds()
    {
        var login = NewLogin();
        fixture.Faults.FailWrites = true;
        AdminResult failed;
        try
        {
            failed = await Account(login).Create("secret");
        }
        finally
        {
            fixture.Faults.FailWrites = false;
        }

        Assert.Equal(AdminStatus.StorageUnavailable, failed.Status);
        Assert.Null(await Account(login).Describe());
        Assert.Equal(AdminStatus.Ok, (await Account(login).Create("secret")).Status);
    }

    private IAccountGrain Account(string login) => fixture.Grains.GetGrain<IAccountGrain>(login);

    private static string NewLogin() => "u" + Guid.NewGuid().ToString("N")[..12];
}
