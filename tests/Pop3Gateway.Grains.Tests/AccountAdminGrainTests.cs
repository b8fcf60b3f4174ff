using Pop3Gateway.Abstractions;
using Pop3Gateway.Grains.Accounts;

namespace Pop3Gateway.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class AccountAdminGrainTests(ClusterFixture fixture)
{
    private IAccountGrain Account(string login) => fixture.Grains.GetGrain<IAccountGrain>(login);

    private IAddressGrain Address(string address) => fixture.Grains.GetGrain<IAddressGrain>(address);

    private static string NewLogin() => "a" + Guid.NewGuid().ToString("N")[..12];

    private async Task<string> CreateAsync()
    {
        var login = NewLogin();
        Assert.True((await Account(login).Create("secret")).IsOk);
        return login;
    }

    [Fact]
    public async Task AddAddress_NormalizesAndResolvesToMailbox()
    {
        var login = await CreateAsync();

        Assert.True((await Account(login).AddAddress($"Info.{login}@Example.ORG")).IsOk);

        Assert.Equal(new AddressTarget(login, login), await Address($"info.{login}@example.org").Resolve());
        Assert.Equal([$"info.{login}@example.org"], (await Account(login).Describe())!.Addresses);
    }

    [Fact]
    public async Task AddAddress_OwnedByAnother_RefusedAndNothingChanged()
    {
        var first = await CreateAsync();
        var second = await CreateAsync();
        var address = $"shared-{first}@example.org";
        Assert.True((await Account(first).AddAddress(address)).IsOk);

        var result = await Account(second).AddAddress(address);

        Assert.Equal(AdminStatus.AlreadyExists, result.Status);
        Assert.Equal(first, (await Address(address).Resolve())!.Login);
        Assert.Empty((await Account(second).Describe())!.Addresses);
    }

    [Theory]
    [InlineData("no-at-sign")]
    [InlineData("a@")]
    [InlineData("@b.example")]
    [InlineData("a..b@c.example")]
    [InlineData("a@b_c.example")]
    [InlineData("\"quoted\"@c.example")]
    public async Task AddAddress_Malformed_InvalidArgument(string address)
    {
        var login = await CreateAsync();

        Assert.Equal(AdminStatus.InvalidArgument, (await Account(login).AddAddress(address)).Status);
    }

    [Fact]
    public async Task RemoveAddress_ReleasesIt()
    {
        var login = await CreateAsync();
        var address = $"{login}@example.org";
        await Account(login).AddAddress(address);

        Assert.True((await Account(login).RemoveAddress(address.ToUpperInvariant())).IsOk);

        Assert.Null(await Address(address).Resolve());
        Assert.Equal(AdminStatus.InvalidArgument, (await Account(login).RemoveAddress(address)).Status);
    }

    [Fact]
    public async Task Disable_RightPasswordSaysDisabled_WrongPasswordSaysFailed_EnableRestores()
    {
        var login = await CreateAsync();

        Assert.True((await Account(login).SetDisabled(true)).IsOk);

        Assert.Equal(AuthStatus.Disabled, (await Account(login).CheckPassword("secret")).Status);
        Assert.Equal(AuthStatus.Failed, (await Account(login).CheckPassword("wrong")).Status);
        Assert.True((await Account(login).Describe())!.Disabled);
        Assert.True((await Account(login).SetDisabled(false)).IsOk);
        Assert.Equal(AuthStatus.Ok, (await Account(login).CheckPassword("secret")).Status);
    }

    [Fact]
    public async Task Revoke_GrantedMailbox_Removed_OwnMailboxRefused()
    {
        var login = await CreateAsync();
        var other = await CreateAsync();
        await Account(login).Grant(other);

        Assert.True((await Account(login).Revoke(other)).IsOk);

        Assert.Empty((await Account(login).Describe())!.GrantedMailboxes);
        Assert.Equal(AdminStatus.InvalidArgument, (await Account(login).Revoke(other)).Status);
        Assert.Equal(AdminStatus.InvalidArgument, (await Account(login).Revoke(login)).Status);
    }

    [Fact]
    public async Task Remove_MailboxWithMail_RefusedUnlessKeepMail_MailKept()
    {
        var login = await CreateAsync();
        var address = $"{login}@example.org";
        await Account(login).AddAddress(address);
        using (var source = new MemoryStream("Subject: keep\r\n\r\nx\r\n"u8.ToArray()))
        {
            var body = await fixture.Bodies.WriteAsync(login, source, CancellationToken.None);
            Assert.Equal(MailboxStatus.Ok, (await fixture.Grains.GetGrain<IMailboxGrain>(login).Deliver(new DeliveryRequest(body.BodyId, body.Size, null))).Status);
        }

        Assert.Equal(AdminStatus.InvalidArgument, (await Account(login).Remove(keepMail: false)).Status);
        Assert.NotNull(await Account(login).Describe());

        Assert.True((await Account(login).Remove(keepMail: true)).IsOk);
        Assert.Null(await Account(login).Describe());
        Assert.Null(await Address(address).Resolve());
        Assert.DoesNotContain(login, (await fixture.Grains.GetGrain<IAccountDirectoryGrain>(IAccountDirectoryGrain.DefaultKey).Page(login, null, 1)).Logins);
        Assert.Equal(1, (await fixture.Grains.GetGrain<IMailboxGrain>(login).Describe()).MessageCount);
        Assert.Equal(AuthStatus.Failed, (await Account(login).CheckPassword("secret")).Status);
    }

    [Fact]
    public async Task Remove_EmptyMailbox_Removed()
    {
        var login = await CreateAsync();

        Assert.True((await Account(login).Remove(keepMail: false)).IsOk);
        Assert.Equal(AdminStatus.NoSuchAccount, (await Account(login).Remove(keepMail: false)).Status);
    }

    [Fact]
    public async Task Provision_PreHashed_CreatesAccountThatLogsInWithoutHashing()
    {
        var login = NewLogin();
        var hash = PasswordHashText.Format(PasswordHasher.Hash("imported"));

        var result = await Account(login).Provision(new ProvisionRequest(null, hash, [$"{login}@example.org"]));

        Assert.True(result.IsOk, result.Error);
        Assert.Equal(AuthStatus.Ok, (await Account(login).CheckPassword("imported")).Status);
        Assert.Equal(login, (await Address($"{login}@example.org").Resolve())!.Login);
    }

    [Fact]
    public async Task Provision_AccountMailboxAndAddress_LeaveMemoryOnceWritten()
    {
        var login = NewLogin();
        var hash = PasswordHashText.Format(PasswordHasher.Hash("imported"));

        Assert.True((await Account(login).Provision(new ProvisionRequest(null, hash, [$"{login}@example.org"]))).IsOk);

        // An import of a million accounts must not keep a million activations: each grain deactivates once done.
        await DeactivatedAsync(Account(login).GetGrainId());
        await DeactivatedAsync(fixture.Grains.GetGrain<IMailboxGrain>(login).GetGrainId());
        await DeactivatedAsync(Address($"{login}@example.org").GetGrainId());
        // And everything is still there, read back from storage.
        Assert.Equal(AuthStatus.Ok, (await Account(login).CheckPassword("imported")).Status);
        Assert.True((await fixture.Grains.GetGrain<IMailboxGrain>(login).Describe()).Exists);
        Assert.Equal(login, (await Address($"{login}@example.org").Resolve())!.Login);
    }

    private async Task DeactivatedAsync(GrainId grain)
    {
        var management = fixture.Grains.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await management.GetActiveGrains(grain.Type)).Contains(grain))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{grain} still active 30 s after provisioning");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Provision_Again_UpdatesPasswordAndAddsAddresses()
    {
        var login = NewLogin();
        Assert.True((await Account(login).Provision(new ProvisionRequest("one", null, [$"{login}@a.example"]))).IsOk);

        Assert.True((await Account(login).Provision(new ProvisionRequest("two", null, [$"{login}@a.example", $"{login}@b.example"]))).IsOk);

        Assert.Equal(AuthStatus.Ok, (await Account(login).CheckPassword("two")).Status);
        Assert.Equal([$"{login}@a.example", $"{login}@b.example"], (await Account(login).Describe())!.Addresses);
    }

    [Fact]
    public async Task Provision_AddressOwnedByAnother_NothingWritten()
    {
        var owner = await CreateAsync();
        await Account(owner).AddAddress($"{owner}@example.org");
        var login = NewLogin();

        var result = await Account(login).Provision(new ProvisionRequest("pw", null, [$"{login}@example.org", $"{owner}@example.org"]));

        Assert.Equal(AdminStatus.AlreadyExists, result.Status);
        Assert.Null(await Account(login).Describe());
        Assert.Null(await Address($"{login}@example.org").Resolve());
    }

    [Theory]
    [InlineData("{PBKDF2-SHA256}1000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("{PBKDF2-SHA256}210000$short$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("{PBKDF2-SHA256}210000$AAAAAAAAAAAAAAAAAAAAAA==")]
    [InlineData("{MD5}abc")]
    public async Task Provision_BadHash_InvalidArgument(string hash)
    {
        var login = NewLogin();

        Assert.Equal(AdminStatus.InvalidArgument, (await Account(login).Provision(new ProvisionRequest(null, hash, []))).Status);
        Assert.Null(await Account(login).Describe());
    }
}
