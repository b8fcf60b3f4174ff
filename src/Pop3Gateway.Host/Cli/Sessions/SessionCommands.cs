using System.Globalization;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Frontends;

namespace Pop3Gateway.Host.Cli.Sessions;

/// <summary>
/// <c>pop3gw who [MAILBOX]</c> and <c>pop3gw kick MAILBOX</c>, as doveadm's <c>who</c> and <c>kick</c>: the open
/// POP3 sessions cluster-wide, asked of every live front-end (each keeps its own), and ending the one that holds a
/// mailbox. Admin calls: the cluster refuses them without the admin credential.
/// </summary>
public static class SessionCommands
{
    /// <summary>Lists the open sessions, of one mailbox when <paramref name="mailbox"/> is given.</summary>
    public static async Task<int> WhoAsync(AdminClient admin, string? mailbox, bool json, TextWriter stdout, CancellationToken ct)
    {
        var filter = mailbox is null ? null : AdminCommands.NormalizeName(mailbox, "mailbox");
        var directory = admin.Grains.GetGrain<IFrontendDirectoryGrain>(IFrontendDirectoryGrain.DefaultKey);
        var frontends = await AdminCommands.Call(() => directory.List().WaitAsync(ct));
        var listed = await Task.WhenAll(frontends.Select(id =>
            AdminCommands.Call(() => admin.Grains.GetGrain<IFrontendGrain>(id).ListSessions().WaitAsync(ct))));
        var sessions = listed.SelectMany(s => s)
            .Where(s => filter is null || s.Mailbox == filter)
            .OrderBy(s => s.Mailbox, StringComparer.Ordinal).ThenBy(s => s.Started)
            .Select(s => new WhoSession(s.Mailbox, s.Login, s.ClientAddress, s.Frontend, s.Started, s.Tls, s.SessionId))
            .ToList();
        if (json)
        {
            CliJson.Write(stdout, new WhoReport(sessions));
        }
        else
        {
            WriteTable(stdout, sessions);
        }
        return CommandLine.Success;
    }

    /// <summary>Ends the session holding <paramref name="mailbox"/>: its client is told and disconnected, nothing is deleted.</summary>
    public static async Task<int> KickAsync(AdminClient admin, string mailbox, TextWriter stdout, CancellationToken ct)
    {
        var name = AdminCommands.NormalizeName(mailbox, "mailbox");
        var lease = await AdminCommands.Call(() => admin.Grains.GetGrain<IMailboxGrain>(name).Kick().WaitAsync(ct));
        if (lease is null)
        {
            throw new UsageException($"no session holds mailbox '{name}'");
        }
        stdout.WriteLine($"kicked session {lease.SessionId} of {lease.Holder} from {name}");
        return CommandLine.Success;
    }

    private static void WriteTable(TextWriter stdout, IReadOnlyList<WhoSession> sessions)
    {
        string[] header = ["MAILBOX", "LOGIN", "CLIENT", "FRONTEND", "STARTED", "TLS"];
        var rows = sessions.Select(s => new[]
        {
            s.Mailbox, s.Login, s.ClientAddress, s.Frontend, s.Started.UtcDateTime.ToString("u", CultureInfo.InvariantCulture), s.Tls ? "yes" : "no",
        }).Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(column => rows.Max(row => row[column].Length)).ToArray();
        foreach (var row in rows)
        {
            stdout.WriteLine(string.Join("  ", row.Select((cell, column) => cell.PadRight(widths[column]))).TrimEnd());
        }
    }

    /// <summary>The <c>--json</c> document of <c>who</c>; its field names are a stable interface.</summary>
    private sealed record WhoReport(IReadOnlyList<WhoSession> Sessions);

    private sealed record WhoSession(
        string Mailbox, string Login, string ClientAddress, string Frontend, DateTimeOffset Started, bool Tls, Guid SessionId);
}
