namespace Pop3Gateway.Cluster.Tests.Load;

/// <summary>
/// Idle sessions that log in before a failure and are held across it: some land on the process that fails, so
/// they show which mailboxes a failure leaves locked, and how a front-end that loses the cluster ends its sessions.
/// </summary>
public sealed class HeldSessions(IReadOnlyList<LoadAccount> accounts) : IAsyncDisposable
{
    /// <summary>The reply a front-end that lost the cluster ends its sessions with (ConnectionReplies.ClusterLost).</summary>
    public const string FencedReply = "-ERR [SYS/TEMP]";

    /// <summary>A NOOP that takes longer than this finds its session cut.</summary>
    private static readonly TimeSpan NoopTimeout = TimeSpan.FromSeconds(5);

    private readonly List<RawPop3Client> _clients = [];

    /// <summary>Sessions not to QUIT: the server ended them, or a read of an unasked line still waits on them.</summary>
    private readonly HashSet<RawPop3Client> _noQuit = [];

    public async Task LoginAsync(int pop3Port)
    {
        foreach (var account in accounts)
        {
            var client = await RawPop3Client.LoginAsync(pop3Port, account.Login, account.Password);
            _clients.Add(client);
            await client.ExpectOkAsync("STAT");
        }
    }

    /// <summary>The accounts of the sessions the failure cut (their NOOP fails): those the failed process served.</summary>
    public async Task<List<LoadAccount>> OrphanedAsync()
    {
        var alive = await Task.WhenAll(_clients.Select(async client =>
        {
            try
            {
                return (await client.CommandAsync("NOOP").WaitAsync(NoopTimeout)).StartsWith("+OK", StringComparison.Ordinal);
            }
            catch (Exception e) when (e is IOException or TimeoutException or System.Net.Sockets.SocketException)
            {
                return false;
            }
        }));
        return accounts.Where((_, i) => !alive[i]).ToList();
    }

    /// <summary>
    /// Waits up to <paramref name="within"/> for what the server says unasked: a session of a front-end that cannot
    /// reach the cluster is ended with <see cref="FencedReply"/> and closed; one of a healthy front-end hears nothing.
    /// <paramref name="onFenced"/> hears of each fenced session's account as soon as its reply arrives, since the
    /// sessions of a healthy front-end keep this waiting the whole <paramref name="within"/>.
    /// </summary>
    public async Task<Fencing> FencedAsync(TimeSpan within, Action<LoadAccount> onFenced)
    {
        _noQuit.UnionWith(_clients);
        var reads = _clients.Select(async (client, i) =>
        {
            var line = await client.ReadLineAsync();
            if (line is not null && line.StartsWith(FencedReply, StringComparison.Ordinal))
            {
                onFenced(accounts[i]);
            }
            return line;
        }).ToList();
        await Task.WhenAny(Task.WhenAll(reads), Task.Delay(within));
        var fenced = new List<LoadAccount>();
        var otherEndings = new List<string>();
        for (var i = 0; i < reads.Count; i++)
        {
            if (!reads[i].IsCompleted)
            {
                continue;
            }
            var line = reads[i].IsCompletedSuccessfully ? reads[i].Result ?? "(closed without a reply)" : reads[i].Exception!.InnerException!.GetType().Name;
            if (line.StartsWith(FencedReply, StringComparison.Ordinal))
            {
                fenced.Add(accounts[i]);
            }
            else
            {
                otherEndings.Add($"held session of {accounts[i].Login} ended with '{line}'");
            }
        }
        return new Fencing(fenced, reads.Count - fenced.Count - otherEndings.Count, otherEndings);
    }

    /// <summary>
    /// QUITs the sessions that survived the failure (the others left their leases to expire); closes those it must not
    /// QUIT, which releases their mailboxes as any clean disconnect does.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            try
            {
                if (!_noQuit.Contains(client))
                {
                    await client.CommandAsync("QUIT");
                }
            }
            catch (Exception e) when (e is IOException or TimeoutException or System.Net.Sockets.SocketException)
            {
                // Cut by the failure (a killed front-end) or closed by a drain.
            }
            await client.DisposeAsync();
        }
    }
}

/// <summary>What the held sessions heard while their front-end was cut off from the cluster.</summary>
/// <param name="Fenced">Accounts whose sessions were ended with <see cref="HeldSessions.FencedReply"/>.</param>
/// <param name="Untouched">Sessions that heard nothing: served by the other front-end.</param>
/// <param name="OtherEndings">Sessions ended any other way: each is a broken promise.</param>
public sealed record Fencing(IReadOnlyList<LoadAccount> Fenced, int Untouched, IReadOnlyList<string> OtherEndings);
