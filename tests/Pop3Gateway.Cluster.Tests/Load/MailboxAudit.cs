using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Pop3Gateway.Cluster.Tests.Load;

/// <summary>The final contents of the load's mailboxes held against the ledger.</summary>
public sealed record AuditResult(
    int Present,
    int Lost,
    int WronglyDeleted,
    int DeletedButPresent,
    int Duplicates,
    int Unknown,
    int AmbiguousDeleted,
    int AmbiguousPresent,
    int UncertainDeliveriesPresent,
    int MailboxesLockedAtAudit,
    TimeSpan LocksFreeAfter,
    int Unreadable,
    IReadOnlyList<string> Problems);

/// <summary>
/// Opens every mailbox of the load through HAProxy (waiting out leases a failure left behind, up to
/// the lease lifetime plus slack), reads UIDL and the Message-ID of every message (TOP n 0), QUITs
/// without deleting, and compares with the ledger.
/// </summary>
public static partial class MailboxAudit
{
    /// <summary>
    /// How long the audit waits out a lock a failure left behind. A killed front-end's locks are free within its
    /// liveness lease (Sessions:FrontendLease, 10 s); a failed silo's leases die with its grains; a drained
    /// front-end releases its own; a lease granted for a login its front-end gave up on is taken over by the next login.
    /// </summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    /// <summary>Slack over the lease for the last renewal before the failure and a loaded machine.</summary>
    public static readonly TimeSpan LeaseSlack = TimeSpan.FromSeconds(30);

    /// <summary>Mailboxes audited at once.</summary>
    private const int Parallelism = 4;

    public static async Task<AuditResult> RunAsync(
        int pop3Port, IReadOnlyList<LoadAccount> accounts, Ledger ledger, Stopwatch sinceFault)
    {
        var contents = new Dictionary<string, List<(string Uidl, string? Marker)>>();
        var problems = new List<string>();
        var locked = 0;
        var unreadable = 0;
        var locksFree = TimeSpan.Zero;
        var gate = new SemaphoreSlim(Parallelism);
        var tasks = accounts.Select(async account =>
        {
            await gate.WaitAsync();
            try
            {
                var (messages, wasLocked, error) = await ReadMailboxAsync(pop3Port, account, sinceFault);
                lock (contents)
                {
                    if (messages is not null)
                    {
                        contents[account.Login] = messages;
                    }
                    else
                    {
                        unreadable++;
                        problems.Add($"{account.Login}: not readable within the lease + slack: {error}");
                    }
                    if (wasLocked)
                    {
                        locked++;
                        locksFree = sinceFault.Elapsed > locksFree ? sinceFault.Elapsed : locksFree;
                    }
                }
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(tasks);
        return Compare(contents, ledger, problems, locked, locksFree, unreadable);
    }

    private static AuditResult Compare(
        Dictionary<string, List<(string Uidl, string? Marker)>> contents, Ledger ledger, List<string> problems, int locked, TimeSpan locksFree, int unreadable)
    {
        var present = contents.Values.SelectMany(m => m).ToList();
        var markers = present.Where(m => m.Marker is not null).GroupBy(m => m.Marker!).ToDictionary(g => g.Key, g => g.Count());
        var duplicates = markers.Values.Sum(n => n - 1)
            + contents.Values.Sum(m => m.Count - m.Select(x => x.Uidl).Distinct().Count());
        var unknown = present.Count(m => m.Marker is null || ledger.ByMarker(m.Marker) is null);
        int lost = 0, wronglyDeleted = 0, deletedButPresent = 0, ambiguousDeleted = 0, ambiguousPresent = 0, uncertainPresent = 0;
        foreach (var entry in ledger.Entries().Where(e => contents.ContainsKey(e.Mailbox)))
        {
            var isPresent = markers.ContainsKey(entry.Marker);
            if (entry.Uidl is null)
            {
                uncertainPresent += isPresent ? 1 : 0;
                continue;
            }
            var deletion = ledger.DeletionOf(entry.Mailbox, entry.Uidl);
            switch (isPresent)
            {
                case true when deletion.Confirmed:
                    deletedButPresent++;
                    problems.Add($"{entry.Mailbox} {entry.Uidl}: present although a QUIT that DELE'd it got +OK");
                    break;
                case true when deletion.Ambiguous:
                    ambiguousPresent++;
                    break;
                case false when deletion.Confirmed:
                    break;
                case false when deletion.Ambiguous:
                    ambiguousDeleted++;
                    break;
                case false when deletion.Attempted:
                    wronglyDeleted++;
                    problems.Add($"{entry.Mailbox} {entry.Uidl}: gone, but no QUIT that DELE'd it got +OK (last: {deletion.LastEnding})");
                    break;
                case false:
                    lost++;
                    problems.Add($"{entry.Mailbox} {entry.Uidl}: delivered (250) and never DELE'd, but gone");
                    break;
            }
        }
        return new AuditResult(present.Count, lost, wronglyDeleted, deletedButPresent, duplicates, unknown,
            ambiguousDeleted, ambiguousPresent, uncertainPresent, locked, locksFree, unreadable, problems);
    }

    /// <summary>One mailbox's messages, retrying while it is locked or the cluster answers [SYS/TEMP].</summary>
    private static async Task<(List<(string Uidl, string? Marker)>? Messages, bool WasLocked, string? Error)> ReadMailboxAsync(
        int pop3Port, LoadAccount account, Stopwatch sinceFault)
    {
        var wasLocked = false;
        string? error = null;
        while (sinceFault.Elapsed < Lease + LeaseSlack)
        {
            try
            {
                await using var client = await RawPop3Client.ConnectAsync(pop3Port);
                await client.ExpectOkAsync($"USER {account.Login}");
                var pass = await client.CommandAsync($"PASS {account.Password}");
                if (pass.Contains("[IN-USE]", StringComparison.Ordinal))
                {
                    wasLocked = true;
                    error = $"still locked {sinceFault.Elapsed.TotalSeconds:F0} s after the failure: {pass}";
                    await Task.Delay(TimeSpan.FromSeconds(1));
                    continue;
                }
                if (!pass.StartsWith("+OK", StringComparison.Ordinal))
                {
                    throw new IOException($"PASS got '{pass}'");
                }
                var messages = new List<(string, string?)>();
                foreach (var (number, uidl) in await LoadDriver.ListingAsync(client, "UIDL"))
                {
                    await client.ExpectOkAsync($"TOP {number} 0");
                    var headers = Encoding.Latin1.GetString(await client.ReadMultilineAsync());
                    messages.Add((uidl, MarkerPattern().Match(headers) is { Success: true } m ? m.Groups[1].Value : null));
                }
                await client.ExpectOkAsync("QUIT");
                return (messages, wasLocked, null);
            }
            catch (Exception e) when (e is IOException or TimeoutException or System.Net.Sockets.SocketException or Xunit.Sdk.XunitException)
            {
                error = e.Message;
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
        return (null, wasLocked, error);
    }

    [GeneratedRegex(@"Message-ID: <([0-9a-f]{32})@ledger\.test>", RegexOptions.IgnoreCase)]
    private static partial Regex MarkerPattern();
}
