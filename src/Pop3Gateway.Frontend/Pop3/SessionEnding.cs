using Pop3Gateway.Frontend.Sessions;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Frontend.Pop3;

/// <summary>
/// A session's end signalled from outside its command loop: the mailbox lease was lost, a cluster call failed
/// (its silo may be gone, and the session with it), an operator ended the session, or the front-end fenced
/// itself. While a command runs, the loop is told and closes after its reply. While the connection idles, a
/// lost session's connection is aborted at once; a kicked or fenced one has its read cancelled, so the loop
/// tells the client why (<see cref="TakeNotice"/>) before it closes.
/// </summary>
internal sealed class SessionEnding(Action abortConnection, Action cancelRead)
{
    private readonly Lock _lock = new();
    private bool _busy;
    private bool _lost;
    private Pop3Reply? _notice;

    public bool Lost
    {
        get
        {
            lock (_lock)
            {
                return _lost;
            }
        }
    }

    /// <summary>Why the session ended, for the session log: null while it has not.</summary>
    public string? Reason { get; private set; }

    /// <summary>The loop is working on received commands; a loss waits for their replies.</summary>
    public void Busy(bool busy)
    {
        lock (_lock)
        {
            _busy = busy;
        }
    }

    public void Signal(SessionEndReason reason)
    {
        var notice = reason switch
        {
            SessionEndReason.Kicked => ConnectionReplies.Kicked,
            SessionEndReason.Fenced => ConnectionReplies.ClusterLost,
            _ => null,
        };
        bool idle;
        lock (_lock)
        {
            if (!_lost)
            {
                _notice = notice;
                Reason = reason switch
                {
                    SessionEndReason.Kicked => "kicked",
                    SessionEndReason.Fenced => "fenced",
                    _ => "session-lost",
                };
            }
            _lost = true;
            idle = !_busy;
            notice = _notice;
        }
        if (idle)
        {
            (notice is null ? abortConnection : cancelRead)();
        }
    }

    /// <summary>The reply that tells the client why its session ended, once; null when there is none to tell.</summary>
    public Pop3Reply? TakeNotice()
    {
        lock (_lock)
        {
            var notice = _notice;
            _notice = null;
            return notice;
        }
    }
}
