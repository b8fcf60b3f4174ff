using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Host.Cli.Mailboxes;

/// <summary>Which messages <c>pop3gw mailbox expunge</c> removes: exactly one of all, delivered before a time, or UIDLs.</summary>
public abstract record ExpungeSelection
{
    private ExpungeSelection()
    {
    }

    /// <summary>Every message.</summary>
    public sealed record All : ExpungeSelection;

    /// <summary>Messages whose body was written before <paramref name="Time"/>.</summary>
    public sealed record Before(DateTimeOffset Time) : ExpungeSelection;

    /// <summary>The messages with these UIDLs; UIDLs no message has are reported, not an error.</summary>
    public sealed record Uidls(IReadOnlyList<string> Values) : ExpungeSelection;

    internal ExpungeRequest ToRequest() => this switch
    {
        Before before => ExpungeRequest.DeliveredBefore(before.Time),
        Uidls uidls => ExpungeRequest.ForUidls(uidls.Values),
        _ => ExpungeRequest.All(),
    };
}

/// <summary>
/// <c>pop3gw mailbox expunge MAILBOX (--all | --before DATE | --uidl U...) [--kick]</c>: removes messages
/// durably, bodies included. A mailbox in use is refused unless <c>--kick</c> ends that session first.
/// User errors throw <see cref="UsageException"/> (exit 1), an unreachable cluster <see cref="ClusterUnreachableException"/> (exit 2).
/// </summary>
public static class ExpungeCommand
{
    public static async Task<int> RunAsync(
        AdminClient admin, string mailbox, ExpungeSelection selection, bool kick, TextWriter stdout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(stdout);
        var name = AdminCommands.NormalizeName(mailbox, "mailbox");
        if (selection is ExpungeSelection.Uidls { Values: [] })
        {
            throw new UsageException("give at least one UIDL");
        }
        ct.ThrowIfCancellationRequested();
        if (kick)
        {
            await AdminCommands.Call(() => admin.Grains.GetGrain<IMailboxGrain>(name).Kick());
        }
        var result = await AdminCommands.Call(() => admin.Grains.GetGrain<IMailboxMaintenanceGrain>(name).Expunge(selection.ToRequest()));
        switch (result.Status)
        {
            case MailboxStatus.Ok:
                break;
            case MailboxStatus.NoSuchMailbox:
                throw new UsageException($"no such mailbox: {name}");
            case MailboxStatus.InUse:
                throw new UsageException($"mailbox '{name}' is in use by {result.Holder}; add --kick to end that session first");
            case MailboxStatus.InvalidRequest:
                throw new UsageException($"invalid selection for mailbox '{name}'");
            case MailboxStatus.OutcomeUnknown:
                throw new ClusterUnreachableException($"storage failed while expunging {name}; the messages may or may not be gone: run the expunge again");
            default:
                throw new ClusterUnreachableException($"storage unavailable: nothing was expunged from {name}");
        }
        stdout.WriteLine($"expunged {result.Removed} messages ({result.OctetsRemoved} octets) from {name}");
        foreach (var uidl in result.UnknownUidls)
        {
            stdout.WriteLine($"no message has UIDL {uidl}");
        }
        return CommandLine.Success;
    }
}
