namespace Pop3Gateway.Cluster.Tests.Load;

/// <summary>What the load driver knows about one message it sent.</summary>
public sealed class LedgerEntry(string marker, string mailbox)
{
    /// <summary>Unique per message: the Message-ID's local part and a body line.</summary>
    public string Marker { get; } = marker;

    public string Mailbox { get; } = mailbox;

    /// <summary>The UIDL from the LMTP reply "250 … delivered as UIDL"; null unless the delivery was confirmed.</summary>
    public string? Uidl { get; set; }

    /// <summary>An LMTP transaction did not end with 250 (a 4xx, or the reply was lost): it may or may not exist.</summary>
    public bool DeliveryUncertain { get; set; }

    /// <summary>LMTP transactions that sent it: more than one when an uncertain one was retried, as an MTA does.</summary>
    public int Attempts { get; set; }
}

/// <summary>
/// What the sessions did to one UIDL. Kept apart from <see cref="LedgerEntry"/>: a session can see, DELE
/// and commit a message before the deliverer has read the 250 reply that names its UIDL.
/// </summary>
public sealed class DeletionRecord
{
    /// <summary>DELE'd in a session whose QUIT got +OK: deleted for sure.</summary>
    public bool Confirmed { get; set; }

    /// <summary>DELE'd in a session whose QUIT reply was lost: either outcome is right.</summary>
    public bool Ambiguous { get; set; }

    /// <summary>DELE'd in some session at all (whatever its QUIT said).</summary>
    public bool Attempted { get; set; }

    /// <summary>How the last session that DELE'd it ended: the QUIT reply, or why there was none.</summary>
    public string? LastEnding { get; set; }
}

/// <summary>Counters of one scenario's load.</summary>
public sealed record LoadCounts(
    int SessionsOk,
    int SessionsFailed,
    int SessionsInUse,
    int Delivered,
    int DeliveriesUncertain,
    int DeletedConfirmed,
    int QuitsAmbiguous,
    int WrongBodies,
    int DeliveriesRetried);

/// <summary>
/// Every message the load delivered and every deletion outcome, keyed by marker and by UIDL.
/// Thread-safe: the load's workers write it concurrently.
/// </summary>
public sealed class Ledger
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LedgerEntry> _byMarker = [];
    private readonly Dictionary<(string Mailbox, string Uidl), LedgerEntry> _byUidl = [];
    private readonly Dictionary<(string Mailbox, string Uidl), DeletionRecord> _deletions = [];
    private int _sessionsOk, _sessionsFailed, _sessionsInUse, _quitsAmbiguous, _wrongBodies;

    public LedgerEntry Sending(string mailbox)
    {
        var entry = new LedgerEntry(Guid.NewGuid().ToString("N"), mailbox);
        lock (_lock)
        {
            _byMarker.Add(entry.Marker, entry);
        }
        return entry;
    }

    public void Delivered(LedgerEntry entry, string uidl)
    {
        lock (_lock)
        {
            entry.Uidl = uidl;
            _byUidl[(entry.Mailbox, uidl)] = entry;
        }
    }

    public void Attempting(LedgerEntry entry)
    {
        lock (_lock)
        {
            entry.Attempts++;
        }
    }

    public void DeliveryUncertain(LedgerEntry entry)
    {
        lock (_lock)
        {
            entry.DeliveryUncertain = true;
        }
    }

    /// <summary>The marker of the message delivered as <paramref name="uidl"/>, when the ledger knows it.</summary>
    public string? MarkerOf(string mailbox, string uidl)
    {
        lock (_lock)
        {
            return _byUidl.TryGetValue((mailbox, uidl), out var entry) ? entry.Marker : null;
        }
    }

    public LedgerEntry? ByMarker(string marker)
    {
        lock (_lock)
        {
            return _byMarker.GetValueOrDefault(marker);
        }
    }

    /// <summary>Records how a session that DELE'd <paramref name="uidls"/> ended.</summary>
    public void SessionEnded(string mailbox, IReadOnlyCollection<string> uidls, QuitOutcome outcome, string? ending = null)
    {
        lock (_lock)
        {
            foreach (var uidl in uidls)
            {
                if (!_deletions.TryGetValue((mailbox, uidl), out var record))
                {
                    _deletions[(mailbox, uidl)] = record = new DeletionRecord();
                }
                record.Attempted = true;
                record.Confirmed |= outcome == QuitOutcome.Ok;
                record.Ambiguous |= outcome is QuitOutcome.ReplyLost or QuitOutcome.Unconfirmed;
                record.LastEnding = ending ?? outcome.ToString();
            }
            switch (outcome)
            {
                case QuitOutcome.Ok:
                    _sessionsOk++;
                    break;
                case QuitOutcome.InUse:
                    _sessionsInUse++;
                    break;
                case QuitOutcome.ReplyLost or QuitOutcome.Unconfirmed:
                    _quitsAmbiguous++;
                    _sessionsFailed++;
                    break;
                default:
                    _sessionsFailed++;
                    break;
            }
        }
    }

    public void WrongBody()
    {
        lock (_lock)
        {
            _wrongBodies++;
        }
    }

    /// <summary>What the sessions did to a UIDL; an empty record when no session DELE'd it.</summary>
    public DeletionRecord DeletionOf(string mailbox, string uidl)
    {
        lock (_lock)
        {
            return _deletions.GetValueOrDefault((mailbox, uidl)) ?? new DeletionRecord();
        }
    }

    public IReadOnlyList<LedgerEntry> Entries()
    {
        lock (_lock)
        {
            return [.. _byMarker.Values];
        }
    }

    public LoadCounts Counts()
    {
        lock (_lock)
        {
            return new LoadCounts(
                _sessionsOk,
                _sessionsFailed,
                _sessionsInUse,
                _byMarker.Values.Count(e => e.Uidl is not null),
                // Uncertain in the end: no attempt, the retries included, got a 250.
                _byMarker.Values.Count(e => e.DeliveryUncertain && e.Uidl is null),
                _deletions.Values.Count(d => d.Confirmed),
                _quitsAmbiguous,
                _wrongBodies,
                _byMarker.Values.Count(e => e.Attempts > 1));
        }
    }
}

/// <summary>How a load session ended.</summary>
public enum QuitOutcome
{
    /// <summary>QUIT answered +OK: the DELE'd messages are deleted.</summary>
    Ok,

    /// <summary>QUIT was sent and its reply never came: the commit may or may not have happened.</summary>
    ReplyLost,

    /// <summary>
    /// QUIT answered that the outcome could not be confirmed (<c>Pop3Replies.CommitUnknown</c>): the
    /// server itself does not know whether the commit landed, and says so.
    /// </summary>
    Unconfirmed,

    /// <summary>QUIT answered -ERR, or the session broke before QUIT was sent: nothing may be deleted.</summary>
    NotCommitted,

    /// <summary>The login met a lock (<c>[IN-USE]</c>).</summary>
    InUse,
}
