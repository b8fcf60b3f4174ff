using System.Text;
using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests;

/// <summary><c>pop3gw account import</c> and <c>account hash</c> against a running server.</summary>
public sealed class AccountImportTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public Task Import_PreHashedAndPlain_GoodLinesImportedBadLinesReportedByNumber() => fixture.GuardAsync(async () =>
    {
        var prefix = ServerFixture.UniqueLogin("ai");
        var hash = (await fixture.CliOkAsync("hashed-pw\n", "account", "hash", "--password-stdin")).Trim();
        var file = Path.Combine(fixture.NewScratchDirectory("accounts"), "accounts.txt");
        await File.WriteAllTextAsync(file,
            $"# comment\n{prefix}a {hash} {prefix}a@Example.com\n" +
            $"{prefix}b plain-pw {prefix}b@example.com {prefix}b2@example.com\n" +
            "bad/login pw\n" +
            $"{prefix}c pw not-an-address\n");

        var result = await fixture.CliAsync("account", "import", file);
        var again = await fixture.CliAsync("account", "import", file);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("2 accounts created or updated, 2 lines refused", result.Stdout);
        Assert.Contains("line 4: invalid login", result.Stderr);
        Assert.Contains("line 5: invalid address", result.Stderr);
        Assert.Contains("2 accounts created or updated, 2 lines refused", again.Stdout);
        await using (await RawPop3Client.LoginAsync(fixture.Pop3Port, $"{prefix}a", "hashed-pw"))
        {
        }
        await using (await RawPop3Client.LoginAsync(fixture.Pop3Port, $"{prefix}b", "plain-pw"))
        {
        }
        var list = await fixture.CliOkAsync(null, "account", "list");
        Assert.Contains($"addresses: {prefix}b2@example.com,{prefix}b@example.com", list);
    });

    [Fact]
    public Task Import_TwoThousandPreHashedFromStdin_AllCreatedAndUsable() => fixture.GuardAsync(async () =>
    {
        var prefix = ServerFixture.UniqueLogin("bulk");
        var hash = (await fixture.CliOkAsync("bulk-pw\n", "account", "hash", "--password-stdin")).Trim();
        var lines = new StringBuilder();
        for (var i = 0; i < 2000; i++)
        {
            lines.Append($"{prefix}{i:D4} {hash} {prefix}{i:D4}@example.com\n");
        }

        // Its speed is a benchmark's business (bench/DirectoryScaling); here a generous bound only stops a hang.
        var result = await fixture.Server.CliAsync(["account", "import", "-"], lines.ToString(), TimeSpan.FromMinutes(3));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("2000 accounts created or updated, 0 lines refused", result.Stdout);
        await using (await RawPop3Client.LoginAsync(fixture.Pop3Port, $"{prefix}1999", "bulk-pw"))
        {
        }
    });

    [Fact]
    public Task Import_UnreadableFile_OneLineExitOne() => fixture.GuardAsync(async () =>
    {
        var result = await fixture.CliAsync("account", "import", "/nonexistent/accounts.txt");

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("cannot read", result.Stderr);
    });
}
