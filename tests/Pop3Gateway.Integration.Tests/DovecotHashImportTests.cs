using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests;

/// <summary>
/// Hashes made by Debian's <c>doveadm pw</c> for every accepted scheme: imported with <c>account import</c>,
/// logged in with, and replaced by the native PBKDF2-SHA256 hash at that first login.
/// </summary>
public sealed class DovecotHashImportTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly string[] Schemes =
        ["SHA512-CRYPT", "SHA256-CRYPT", "BLF-CRYPT", "ARGON2I", "ARGON2ID", "SSHA256", "SSHA512", "PBKDF2", "SSHA256.HEX"];

    [Fact]
    public Task Import_DoveadmHashOfEveryScheme_LogsInAndIsReplacedByNativeHash() => fixture.GuardAsync(async () =>
    {
        var doveadm = ExternalTool.Require("doveadm", "dovecot-core");
        var prefix = ServerFixture.UniqueLogin("dv");
        var password = ServerFixture.NewPassword();
        var lines = new List<string>();
        foreach (var (scheme, index) in Schemes.Select((s, i) => (s, i)))
        {
            var hash = await ProcessRunner.RunAsync(doveadm, ["pw", "-s", scheme, "-p", password]);
            Assert.True(hash.ExitCode == 0, hash.ToString());
            lines.Add($"{prefix}{index} {hash.Stdout.Trim()}");
        }
        var file = Path.Combine(fixture.NewScratchDirectory("dovecot"), "passdb.txt");
        await File.WriteAllLinesAsync(file, lines);

        var import = await fixture.CliAsync("account", "import", file);
        var before = await fixture.CliOkAsync(null, "account", "list");
        foreach (var index in Enumerable.Range(0, Schemes.Length))
        {
            await using var session = await RawPop3Client.LoginAsync(fixture.Pop3Port, $"{prefix}{index}", password);
        }
        var after = await fixture.CliOkAsync(null, "account", "list");

        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains($"{Schemes.Length} accounts created or updated, 0 lines refused", import.Stdout);
        foreach (var (scheme, index) in Schemes.Select((s, i) => (s, i)))
        {
            Assert.Contains($"{prefix}{index}  mailbox: {prefix}{index}  migrated hash: {scheme}", before);
            Assert.Contains($"{prefix}{index}  mailbox: {prefix}{index}\n", after.ReplaceLineEndings("\n"));
        }
        // The native hash came with SCRAM keys: the account now logs in with SCRAM-SHA-256 too.
        using var scram = await MailKitSession.ConnectAsync(fixture.Pop3Port);
        await scram.AuthenticateAsync(new MailKit.Security.SaslMechanismScramSha256($"{prefix}0", password));
    });

    [Fact]
    public Task Import_PlaintextScheme_LineRefusedWithReason() => fixture.GuardAsync(async () =>
    {
        var login = ServerFixture.UniqueLogin("dvplain");
        var file = Path.Combine(fixture.NewScratchDirectory("dovecot"), "passdb.txt");
        await File.WriteAllTextAsync(file, $"{login} {{PLAIN}}secret\n");

        var import = await fixture.CliAsync("account", "import", file);

        Assert.True(import.ExitCode == 1, import.ToString());
        Assert.Contains("line 1: ", import.Stderr);
        Assert.Contains("{PLAIN} is not accepted", import.Stderr);
    });
}
