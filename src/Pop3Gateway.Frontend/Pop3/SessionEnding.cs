namespace Pop3Gateway.Frontend.Pop3;

/// <summary>
/// A session's end signalled from outside its command loop: the mailbox lease was lost, or a cluster
/// call failed (its silo may be gone, and the session with it). While a command runs, the loop is told
/// and closes after its reply; while the connection idles, the connection is aborted at once.
/// </summary>
internal sealed class SessionEnding(Action abortConnection)
{
    private readonly Lock _lock = new();
    private bool _busy;
    private bool _lost;

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

    /// <summary>The loop is working on received commands; a loss waits for their replies.</summary>
    public void Busy(bool busy)
    {
        lock (_lock)
        {
            _busy = busy;
        }
    }

    public void Signal()
    {
        bool idle;
        lock (_lock)
        {
            _lost = true;
            idle = !_busy;
        }
        if (idle)
        {
            abortConnection();
        }
    }
}
