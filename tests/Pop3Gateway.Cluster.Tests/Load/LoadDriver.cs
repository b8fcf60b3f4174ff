using System.Text;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Cluster.Tests.Load;

/// <summary>A mailbox the load uses: its login is its name.</summary>
public sealed record LoadAccount(string Login, string Password);

/// <summary>
/// A steady load through HAProxy: deliverers send messages over LMTP, session workers log in,
/// UIDL, LIST, RETR one message (checking its body against the ledger), DELE a few and QUIT.
/// Every outcome goes into the <see cref="Ledger"/>. Each worker holds one mailbox at a time, so
/// the load never meets its own locks; an <c>[IN-USE]</c> means a lease a failure left behind.
/// A delivery that got no 250 is sent again, the same bytes, as an MTA retries a message it still
/// holds: a retry of one whose reply was lost must not leave two copies (the audit counts duplicates).
/// </summary>
public sealed class LoadDriver(int pop3Port, int lmtpPort, IReadOnlyList<LoadAccount> accounts, Ledger ledger)
{
    /// <summary>Concurrent POP3 sessions.</summary>
    public const int SessionWorkers = 12;

    /// <summary>Concurrent LMTP deliverers.</summary>
    public const int Deliverers = 2;

    /// <summary>Pause between two sessions of a worker: keeps the 2-core machine from saturating.</summary>
    private static readonly TimeSpan SessionPause = TimeSpan.FromMilliseconds(150);

    /// <summary>Pause between two deliveries of a deliverer.</summary>
    private static readonly TimeSpan DeliveryPause = TimeSpan.FromMilliseconds(100);

    /// <summary>Transactions per message: the first and the retries of an uncertain one.</summary>
    private const int MaxDeliveryAttempts = 6;

    /// <summary>Pause before a retry: lets a failed process's calls time out and the cluster settle, as an MTA's queue delay does.</summary>
    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(2);

    /// <summary>At most this many DELEs per session.</summary>
    private const int MaxDeletesPerSession = 3;

    private readonly HashSet<string> _busy = [];
    private readonly Lock _busyLock = new();

    public static string MessageId(string marker) => $"<{marker}@ledger.test>";

    /// <summary>Runs until <paramref name="stop"/> is cancelled, then lets sessions in flight finish.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var workers = Enumerable.Range(0, SessionWorkers).Select(i => SessionLoopAsync(i, stop))
            .Concat(Enumerable.Range(0, Deliverers).Select(i => DeliveryLoopAsync(i, stop)));
        await Task.WhenAll(workers);
    }

    private async Task SessionLoopAsync(int seed, CancellationToken stop)
    {
        var random = new Random(seed);
        while (!stop.IsCancellationRequested)
        {
            var account = Reserve(random);
            try
            {
                await SessionAsync(account, random);
            }
            finally
            {
                Release(account);
            }
            await Pause(SessionPause, stop);
        }
    }

    private async Task SessionAsync(LoadAccount account, Random random)
    {
        var deleted = new List<string>();
        var quitSent = false;
        RawPop3Client? client = null;
        try
        {
            client = await RawPop3Client.ConnectAsync(pop3Port);
            await client.ExpectOkAsync($"USER {account.Login}");
            var pass = await client.CommandAsync($"PASS {account.Password}");
            if (pass.Contains("[IN-USE]", StringComparison.Ordinal))
            {
                ledger.SessionEnded(account.Login, [], QuitOutcome.InUse);
                return;
            }
            if (!pass.StartsWith("+OK", StringComparison.Ordinal))
            {
                ledger.SessionEnded(account.Login, [], QuitOutcome.NotCommitted);
                return;
            }
            var uidls = await ListingAsync(client, "UIDL");
            await ListingAsync(client, "LIST");
            if (uidls.Count > 0)
            {
                var (number, uidl) = uidls[random.Next(uidls.Count)];
                await client.ExpectOkAsync($"RETR {number}");
                var body = Encoding.Latin1.GetString(await client.ReadMultilineAsync());
                if (ledger.MarkerOf(account.Login, uidl) is { } marker && !body.Contains(MessageId(marker), StringComparison.Ordinal))
                {
                    ledger.WrongBody();
                }
            }
            foreach (var (number, uidl) in uidls.OrderBy(_ => random.Next()).Take(random.Next(MaxDeletesPerSession + 1)))
            {
                // A DELE that got -ERR marks nothing; the client goes on to QUIT as a real one would.
                if ((await client.CommandAsync($"DELE {number}")).StartsWith("+OK", StringComparison.Ordinal))
                {
                    deleted.Add(uidl);
                }
            }
            quitSent = true;
            var quit = await client.CommandAsync("QUIT");
            var outcome = quit.StartsWith("+OK", StringComparison.Ordinal) ? QuitOutcome.Ok
                : quit == "-ERR " + Pop3Replies.CommitUnknown.Text ? QuitOutcome.Unconfirmed
                : QuitOutcome.NotCommitted;
            ledger.SessionEnded(account.Login, deleted, outcome, $"QUIT got '{quit}'");
        }
        catch (Exception e) when (e is IOException or TimeoutException or System.Net.Sockets.SocketException or Xunit.Sdk.XunitException or FormatException)
        {
            ledger.SessionEnded(account.Login, deleted, quitSent ? QuitOutcome.ReplyLost : QuitOutcome.NotCommitted,
                $"{(quitSent ? "QUIT reply lost" : "broken before QUIT")}: {e.GetType().Name}");
        }
        finally
        {
            if (client is not null)
            {
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>Sends a UIDL or LIST and parses "N VALUE" lines; throws when the reply is not +OK.</summary>
    public static async Task<List<(int Number, string Value)>> ListingAsync(RawPop3Client client, string command)
    {
        await client.ExpectOkAsync(command);
        return Encoding.Latin1.GetString(await client.ReadMultilineAsync())
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Select(parts => (int.Parse(parts[0]), parts[1]))
            .ToList();
    }

    private async Task DeliveryLoopAsync(int seed, CancellationToken stop)
    {
        var random = new Random(1000 + seed);
        while (!stop.IsCancellationRequested)
        {
            await DeliverAsync(accounts[random.Next(accounts.Count)].Login);
            await Pause(DeliveryPause, stop);
        }
    }

    /// <summary>
    /// Delivers one message, retrying while the outcome is uncertain. Retries go on after the load is told
    /// to stop (a message an MTA holds is not dropped); they are bounded by <see cref="MaxDeliveryAttempts"/>.
    /// </summary>
    private async Task DeliverAsync(string mailbox)
    {
        var entry = ledger.Sending(mailbox);
        for (var attempt = 1; attempt <= MaxDeliveryAttempts && entry.Uidl is null; attempt++)
        {
            if (attempt > 1)
            {
                await Task.Delay(RetryPause);
            }
            await AttemptAsync(entry);
        }
    }

    /// <summary>One LMTP transaction through HAProxy; the ledger learns the UIDL from the 250 reply.</summary>
    private async Task AttemptAsync(LedgerEntry entry)
    {
        var mailbox = entry.Mailbox;
        ledger.Attempting(entry);
        try
        {
            await using var lmtp = await RawLmtpClient.ConnectAsync(lmtpPort);
            await lmtp.SendAsync("LHLO load.test\r\n");
            await lmtp.ReadReplyAsync();
            await lmtp.SendAsync($"MAIL FROM:<load@ledger.test>\r\nRCPT TO:<{mailbox}>\r\nDATA\r\n");
            var replies = new[] { await lmtp.ReadLineAsync(), await lmtp.ReadLineAsync(), await lmtp.ReadLineAsync() };
            if (!replies[2].StartsWith("354", StringComparison.Ordinal))
            {
                // Refused before DATA (a 4xx while the cluster recovers): nothing was stored; tried again.
                ledger.DeliveryUncertain(entry);
                return;
            }
            await lmtp.SendAsync(
                $"Message-ID: {MessageId(entry.Marker)}\r\nSubject: load {entry.Marker}\r\n\r\nledger marker {entry.Marker}\r\n" +
                new string('x', 200) + "\r\n.\r\n");
            var reply = await lmtp.ReadLineAsync();
            const string deliveredAs = " delivered as ";
            var at = reply.IndexOf(deliveredAs, StringComparison.Ordinal);
            if (reply.StartsWith("250", StringComparison.Ordinal) && at > 0)
            {
                ledger.Delivered(entry, reply[(at + deliveredAs.Length)..].Trim());
            }
            else
            {
                ledger.DeliveryUncertain(entry);
            }
            await lmtp.SendAsync("QUIT\r\n");
        }
        catch (Exception e) when (e is IOException or TimeoutException or OperationCanceledException or System.Net.Sockets.SocketException or Xunit.Sdk.XunitException)
        {
            if (entry.Uidl is null)
            {
                ledger.DeliveryUncertain(entry);
            }
        }
    }

    private LoadAccount Reserve(Random random)
    {
        lock (_busyLock)
        {
            // More accounts than workers, so a free one always exists.
            var free = accounts.Where(a => !_busy.Contains(a.Login)).ToList();
            var account = free[random.Next(free.Count)];
            _busy.Add(account.Login);
            return account;
        }
    }

    private void Release(LoadAccount account)
    {
        lock (_busyLock)
        {
            _busy.Remove(account.Login);
        }
    }

    private static async Task Pause(TimeSpan pause, CancellationToken stop)
    {
        try
        {
            await Task.Delay(pause, stop);
        }
        catch (OperationCanceledException)
        {
            // The load is stopping.
        }
    }
}
