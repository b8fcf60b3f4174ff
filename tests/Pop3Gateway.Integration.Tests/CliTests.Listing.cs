using System.Text.Json;
using Pop3Gateway.Integration.Tests.Infrastructure;

namespace Pop3Gateway.Integration.Tests;

/// <summary>The listing and show commands of the CLI: text and --json output, paging with a continuation token.</summary>
public sealed partial class CliTests
{
    [Fact]
    public Task AccountShow_Json_DocumentedFields() => fixture.GuardAsync(async () =>
    {
        var owner = await fixture.CreateAccountAsync("clijsonowner");
        var login = ServerFixture.UniqueLogin("clijson");
        await fixture.CliOkAsync("secret-1\n", "account", "add", login, "--password-stdin", "--address", $"{login}@example.com");
        await fixture.CliOkAsync(null, "account", "grant", login, owner.Login);

        using var json = JsonDocument.Parse(await fixture.CliOkAsync(null, "account", "show", login.ToUpperInvariant(), "--json"));

        var account = json.RootElement;
        Assert.Equal(login, account.GetProperty("login").GetString());
        Assert.Equal(login, account.GetProperty("mailbox").GetString());
        Assert.Equal([owner.Login], account.GetProperty("grantedMailboxes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([$"{login}@example.com"], account.GetProperty("addresses").EnumerateArray().Select(e => e.GetString()));
        Assert.False(account.GetProperty("disabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, account.GetProperty("migratedHashScheme").ValueKind);
        Assert.True(account.GetProperty("created").TryGetDateTimeOffset(out _));
    });

    [Fact]
    public Task AccountShow_Text_OneLinePerField() => fixture.GuardAsync(async () =>
    {
        var account = await fixture.CreateAccountAsync("clishowtext");
        await fixture.CliOkAsync(null, "account", "disable", account.Login);

        var show = await fixture.CliOkAsync(null, "account", "show", account.Login);

        var fields = Lines(show).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim());
        Assert.Equal(account.Login, fields["login"]);
        Assert.Equal(account.Login, fields["mailbox"]);
        Assert.Equal("yes", fields["disabled"]);
        Assert.Equal("-", fields["granted"]);
    });

    [Fact]
    public Task AccountShow_UnknownAccount_ExitOneSaysSo() => fixture.GuardAsync(async () =>
    {
        var login = ServerFixture.UniqueLogin("clinoshow");

        var result = await fixture.CliAsync("account", "show", login);

        AssertUserError(result);
        Assert.Equal($"pop3gw: account '{login}' does not exist", result.Stderr.Trim());
    });

    [Fact]
    public Task AccountList_PrefixAndLimit_TwoPagesJoinedByToken() => fixture.GuardAsync(async () =>
    {
        var logins = await CreateAccountsWithPrefixAsync("clipage", 3);
        var prefix = logins[0][..^1];

        var first = Lines(await fixture.CliOkAsync(null, "account", "list", "--prefix", prefix, "--limit", "2"));
        var token = Assert.Single(first, l => l.StartsWith("next: ", StringComparison.Ordinal))["next: ".Length..];
        var second = Lines(await fixture.CliOkAsync(null, "account", "list", "--prefix", prefix, "--limit", "2", "--after", token));
        var all = Lines(await fixture.CliOkAsync(null, "account", "list", "--prefix", prefix));

        Assert.Equal(logins[..2], first.Where(l => !l.StartsWith("next: ", StringComparison.Ordinal)).Select(l => l.Split(' ')[0]));
        Assert.Equal([logins[2]], second.Select(l => l.Split(' ')[0]));
        Assert.Equal(logins, all.Select(l => l.Split(' ')[0]));
    });

    [Fact]
    public Task AccountList_Json_AccountsWithNullNext() => fixture.GuardAsync(async () =>
    {
        var logins = await CreateAccountsWithPrefixAsync("clilistjson", 2);

        using var json = JsonDocument.Parse(await fixture.CliOkAsync(null, "account", "list", "--prefix", logins[0][..^1], "--json"));

        var accounts = json.RootElement.GetProperty("accounts").EnumerateArray().ToArray();
        Assert.Equal(logins, accounts.Select(a => a.GetProperty("login").GetString()));
        Assert.All(accounts, a => Assert.Equal(a.GetProperty("login").GetString(), a.GetProperty("mailbox").GetString()));
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("next").ValueKind);
    });

    [Fact]
    public Task MailboxList_JsonPaged_RowsAndContinuationToken() => fixture.GuardAsync(async () =>
    {
        var logins = await CreateAccountsWithPrefixAsync("climblist", 3);
        var message = TestMessages.Plain();
        await fixture.DeliverAsync(logins[1], [message]);
        var prefix = logins[0][..^1];

        using var first = JsonDocument.Parse(await fixture.CliOkAsync(null, "mailbox", "list", "--prefix", prefix, "--limit", "2", "--json"));
        var token = first.RootElement.GetProperty("next").GetString();
        using var second = JsonDocument.Parse(await fixture.CliOkAsync(null, "mailbox", "list", "--prefix", prefix, "--limit", "2", "--after", token!, "--json"));

        var rows = first.RootElement.GetProperty("mailboxes").EnumerateArray().Concat(second.RootElement.GetProperty("mailboxes").EnumerateArray()).ToArray();
        Assert.Equal(logins, rows.Select(r => r.GetProperty("mailbox").GetString()));
        Assert.Equal([0, 1, 0], rows.Select(r => r.GetProperty("messages").GetInt32()));
        Assert.Equal([0L, message.Normalized.Length, 0L], rows.Select(r => r.GetProperty("octets").GetInt64()));
        Assert.All(rows, r => Assert.False(r.GetProperty("locked").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, second.RootElement.GetProperty("next").ValueKind);
    });

    [Fact]
    public Task MailboxList_Text_RowPerMailboxThenNextLine() => fixture.GuardAsync(async () =>
    {
        var logins = await CreateAccountsWithPrefixAsync("climbtext", 2);

        var page = Lines(await fixture.CliOkAsync(null, "mailbox", "list", "--prefix", logins[0][..^1], "--limit", "1"));

        Assert.Equal([$"{logins[0]}  messages: 0  octets: 0  locked: no", $"next: {logins[0]}"], page);
    });

    [Fact]
    public Task MailboxShow_Json_DocumentedFields() => fixture.GuardAsync(async () =>
    {
        var messages = new[] { TestMessages.Plain(), TestMessages.BareLf() };
        var mailbox = await fixture.CreateMailboxAsync("clishowjson", messages);
        await fixture.CliOkAsync(null, "mailbox", "quota", mailbox.Login, "--messages", "10");

        using var json = JsonDocument.Parse(await fixture.CliOkAsync(null, "mailbox", "show", mailbox.Login, "--json"));

        var root = json.RootElement;
        Assert.Equal(mailbox.Login, root.GetProperty("mailbox").GetString());
        Assert.Equal(2, root.GetProperty("messages").GetInt32());
        Assert.Equal(messages.Sum(m => m.Normalized.Length), root.GetProperty("octets").GetInt64());
        var quota = root.GetProperty("quota");
        Assert.Equal(2, quota.GetProperty("messagesUsed").GetInt64());
        Assert.Equal(10, quota.GetProperty("messageLimit").GetInt64());
        Assert.False(quota.GetProperty("messageLimitIsDefault").GetBoolean());
        Assert.True(quota.GetProperty("octetLimitIsDefault").GetBoolean());
        Assert.Equal(messages.Sum(m => m.Normalized.Length), quota.GetProperty("octetsUsed").GetInt64());
        Assert.True(quota.TryGetProperty("octetLimit", out _));
        Assert.False(root.GetProperty("locked").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("lock").ValueKind);
    });

    /// <summary>Accounts named PREFIX + "a", "b", ... under a prefix nobody else uses; returned in order.</summary>
    private async Task<string[]> CreateAccountsWithPrefixAsync(string name, int count)
    {
        var prefix = ServerFixture.UniqueLogin(name);
        var logins = Enumerable.Range(0, count).Select(i => $"{prefix}{(char)('a' + i)}").ToArray();
        foreach (var login in logins)
        {
            await fixture.CliOkAsync("secret-1\n", "account", "add", login, "--password-stdin");
        }
        return logins;
    }
}
