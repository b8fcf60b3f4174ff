using MailKit.Security;
using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests.Security;

/// <summary>
/// No stored hash is a password, end to end: an account imported with <c>{PBKDF2-SHA256}ITER$SALT$HASH</c>
/// cannot be logged into by SCRAM-SHA-256 with HASH as SaltedPassword; it gets SCRAM keys of its own at
/// its first password login; and until then, like any unknown login, it shows made-up SCRAM parameters
/// that do not change when the server restarts.
/// </summary>
public sealed class ScramStorageTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public Task ImportedHash_ScramWithHashAsSaltedPassword_FailsThenPlainThenScramLogIn() => fixture.GuardAsync(async () =>
    {
        var login = ServerFixture.UniqueLogin("scrimp");
        var password = ServerFixture.NewPassword();
        var hashText = (await fixture.CliOkAsync(password + "\n", "account", "hash", "--password-stdin")).Trim();
        var file = Path.Combine(fixture.NewScratchDirectory("scram"), "accounts.txt");
        await File.WriteAllTextAsync(file, $"{login} {hashText}\n");
        await fixture.CliOkAsync(null, "account", "import", file);
        // {PBKDF2-SHA256}ITER$SALT$HASH: what an import file, a state blob or a backup holds.
        var parts = hashText["{PBKDF2-SHA256}".Length..].Split('$');
        var (hashSalt, hash) = (Convert.FromBase64String(parts[1]), Convert.FromBase64String(parts[2]));

        var before = await AttackAsync(login, hash);
        using (var plain = await MailKitSession.ConnectAsync(fixture.Pop3Port))
        {
            await plain.AuthenticateAsync(new SaslMechanismPlain(login, password));
            await plain.DisconnectAsync(quit: true);
        }
        using (var scram = await MailKitSession.ConnectAsync(fixture.Pop3Port))
        {
            await scram.AuthenticateAsync(new SaslMechanismScramSha256(login, password));
            await scram.DisconnectAsync(quit: true);
        }
        var after = await AttackAsync(login, hash);

        Assert.Equal("-ERR [AUTH] Authentication failed.", before.Reply);
        Assert.NotEqual(hashSalt, before.Salt);
        Assert.Equal("-ERR [AUTH] Authentication failed.", after.Reply);
        Assert.NotEqual(hashSalt, after.Salt);
        Assert.NotEqual(before.Salt, after.Salt);
        Assert.Equal(before.Iterations, after.Iterations);
    });

    [Fact]
    public async Task UnknownLogin_SameSaltAfterRestart_IterationsOfRealAccounts()
    {
        await using var server = new ServerProcess();
        await server.StartAsync();
        var real = ServerFixture.UniqueLogin("scrreal");
        var imported = ServerFixture.UniqueLogin("scrimp");
        var unknown = ServerFixture.UniqueLogin("scrnone");
        var created = await server.CliAsync(["account", "add", real, "--password-stdin"], "real-pw\n");
        Assert.True(created.ExitCode == 0, created.ToString());
        var hash = (await server.CliAsync(["account", "hash", "--password-stdin"], "imported-pw\n")).Stdout.Trim();
        var import = await server.CliAsync(["account", "import", "-"], $"{imported} {hash}\n");
        Assert.True(import.ExitCode == 0, import.ToString());

        var realFirst = await FirstStepAsync(server.Pop3Port, real);
        var importedFirst = await FirstStepAsync(server.Pop3Port, imported);
        var unknownFirst = await FirstStepAsync(server.Pop3Port, unknown);
        Assert.Equal(0, await server.StopAsync());
        await server.StartAsync();
        var importedAgain = await FirstStepAsync(server.Pop3Port, imported);
        var unknownAgain = await FirstStepAsync(server.Pop3Port, unknown);

        Assert.Equal(realFirst.Iterations, unknownFirst.Iterations);
        Assert.Equal(realFirst.Iterations, importedFirst.Iterations);
        Assert.Equal(unknownFirst.Salt, unknownAgain.Salt);
        Assert.Equal(importedFirst.Salt, importedAgain.Salt);
        Assert.Equal(unknownFirst.Iterations, unknownAgain.Iterations);
        Assert.NotEqual(unknownFirst.Salt, importedFirst.Salt);
    }

    /// <summary>SCRAM-SHA-256 with the imported HASH as SaltedPassword, whatever salt the server sends.</summary>
    private async Task<(string Reply, byte[] Salt, int Iterations)> AttackAsync(string login, byte[] hash)
    {
        await using var client = await ConnectAsync(fixture.Pop3Port);
        var scram = new RawScram(client, login);
        Assert.Null(await scram.StartAsync());
        return (await scram.FinishWithSaltedAsync(hash), scram.Salt, scram.Iterations);
    }

    private static async Task<(byte[] Salt, int Iterations)> FirstStepAsync(int port, string login)
    {
        await using var client = await ConnectAsync(port);
        var scram = new RawScram(client, login);
        Assert.Null(await scram.StartAsync());
        Assert.StartsWith("-ERR", await scram.CancelAsync());
        return (scram.Salt, scram.Iterations);
    }

    private static async Task<LineClient> ConnectAsync(int port)
    {
        var client = await LineClient.ConnectAsync(port);
        Assert.StartsWith("+OK", await client.ReadLineAsync());
        return client;
    }
}
