using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Host.Cli;

/// <summary>The listing and show commands: <c>account list|show</c>, <c>mailbox list|show</c>, as text or <c>--json</c>.</summary>
public sealed partial class AdminCommands
{
    /// <summary>Rows of <c>mailbox list</c> without <c>--limit</c>.</summary>
    public const int DefaultPageSize = 100;

    /// <summary>
    /// Accounts whose login starts with <paramref name="prefix"/>, after the token <paramref name="after"/>. With a
    /// <paramref name="limit"/> one page and its continuation token; without, every matching account, fetched page by page.
    /// </summary>
    public async Task<int> ListAccountsAsync(string? prefix, int? limit, string? after, bool json)
    {
        var accounts = new List<AccountView>();
        await using var admin = await ConnectAsync();
        var next = await ForEachLoginAsync(admin, prefix, after, limit, async login =>
        {
            var info = await Call(() => admin.Grains.GetGrain<IAccountGrain>(login).Describe());
            if (info is null)
            {
                return;
            }
            if (json)
            {
                accounts.Add(AccountView.From(info));
                return;
            }
            var granted = info.GrantedMailboxes.Count == 0 ? "" : $"  granted: {string.Join(',', info.GrantedMailboxes)}";
            var addresses = info.Addresses.Count == 0 ? "" : $"  addresses: {string.Join(',', info.Addresses)}";
            stdout.WriteLine($"{info.Login}  mailbox: {info.Mailbox}{granted}{addresses}{(info.Disabled ? "  disabled" : "")}{(info.MigratedScheme is { } scheme ? $"  migrated hash: {scheme}" : "")}");
        });
        WriteEnd(json ? new AccountListView(accounts, next) : null, next);
        return CommandLine.Success;
    }

    public async Task<int> ShowAccountAsync(string login, bool json)
    {
        var name = NormalizeName(login, "login");
        await using var admin = await ConnectAsync();
        var info = await Call(() => admin.Grains.GetGrain<IAccountGrain>(name).Describe())
            ?? throw new UsageException($"account '{name}' does not exist");
        if (json)
        {
            CliJson.Write(stdout, AccountView.From(info));
            return CommandLine.Success;
        }
        stdout.WriteLine($"login:     {info.Login}");
        stdout.WriteLine($"mailbox:   {info.Mailbox}");
        stdout.WriteLine($"granted:   {(info.GrantedMailboxes.Count == 0 ? "-" : string.Join(", ", info.GrantedMailboxes))}");
        stdout.WriteLine($"addresses: {(info.Addresses.Count == 0 ? "-" : string.Join(", ", info.Addresses))}");
        stdout.WriteLine($"disabled:  {(info.Disabled ? "yes" : "no")}");
        stdout.WriteLine($"migrated hash: {info.MigratedScheme ?? "-"}");
        return CommandLine.Success;
    }

    /// <summary>One page of mailboxes (today: the accounts' own mailboxes, named like their logins).</summary>
    public async Task<int> ListMailboxesAsync(string? prefix, int? limit, string? after, bool json)
    {
        var rows = new List<MailboxRowView>();
        await using var admin = await ConnectAsync();
        var next = await ForEachLoginAsync(admin, prefix, after, limit ?? DefaultPageSize, async mailbox =>
        {
            var info = await Call(() => admin.Grains.GetGrain<IMailboxGrain>(mailbox).Describe());
            if (!info.Exists)
            {
                return;
            }
            var row = new MailboxRowView(mailbox, info.MessageCount, info.Octets, info.Lock is not null);
            if (json)
            {
                rows.Add(row);
                return;
            }
            stdout.WriteLine($"{row.Mailbox}  messages: {row.Messages}  octets: {row.Octets}  locked: {(row.Locked ? "yes" : "no")}");
        });
        WriteEnd(json ? new MailboxListView(rows, next) : null, next);
        return CommandLine.Success;
    }

    public async Task<int> ShowMailboxAsync(string mailbox, bool json)
    {
        var name = NormalizeName(mailbox, "mailbox");
        await using var admin = await ConnectAsync();
        var grain = admin.Grains.GetGrain<IMailboxGrain>(name);
        var info = await Call(() => grain.Describe());
        if (!info.Exists)
        {
            throw new UsageException($"no such mailbox: {name}");
        }
        var quota = await Call(() => grain.GetQuota());
        if (json)
        {
            var held = info.Lock is { } lease ? new LockView(lease.Holder, lease.SessionId, info.LockExpires) : null;
            CliJson.Write(stdout, new MailboxView(name, info.MessageCount, info.Octets, QuotaView.From(quota), held is not null, held));
            return CommandLine.Success;
        }
        stdout.WriteLine($"mailbox:  {name}");
        stdout.WriteLine($"messages: {info.MessageCount}");
        stdout.WriteLine($"octets:   {info.Octets}");
        stdout.WriteLine($"quota:    {QuotaText(quota.MessagesUsed, quota.MessageLimit, quota.Own.Messages, "messages")}");
        stdout.WriteLine($"          {QuotaText(quota.OctetsUsed, quota.OctetLimit, quota.Own.Octets, "octets")}");
        stdout.WriteLine(info.Lock is { } holder
            ? $"locked:   by {holder.Holder} (session {holder.SessionId}, lease until {info.LockExpires:u})"
            : "locked:   no");
        return CommandLine.Success;
    }

    /// <summary>
    /// Visits the directory's logins in order: one page of <paramref name="limit"/>, or every page when the limit is
    /// null. Returns the token for the next page, or null when nothing more matches.
    /// </summary>
    private static async Task<string?> ForEachLoginAsync(AdminClient admin, string? prefix, string? after, int? limit, Func<string, Task> visit)
    {
        var start = prefix is null ? null : NormalizeName(prefix, "prefix");
        var next = after is null ? null : NormalizeName(after, "--after token");
        var directory = admin.Grains.GetGrain<IAccountDirectoryGrain>(IAccountDirectoryGrain.DefaultKey);
        do
        {
            var page = await Call(() => directory.Page(start, next, limit ?? IAccountDirectoryGrain.MaxPageSize));
            foreach (var login in page.Logins)
            {
                await visit(login);
            }
            next = page.Next;
        }
        while (limit is null && next is not null);
        return next;
    }

    /// <summary>Writes the JSON document, or else the continuation line when more remain.</summary>
    private void WriteEnd<T>(T? document, string? next)
        where T : class
    {
        if (document is not null)
        {
            CliJson.Write(stdout, document);
        }
        else if (next is not null)
        {
            stdout.WriteLine($"next: {next}");
        }
    }
}
