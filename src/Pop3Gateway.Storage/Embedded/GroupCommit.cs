namespace Pop3Gateway.Storage.Embedded;

/// <summary>
/// Publishes newly written files durably, in groups. A writer closes its temp file without
/// flushing it and hands it here; one round takes every file handed in since the last round,
/// makes their contents durable with one <c>syncfs</c>, renames each into place, and makes the
/// renames durable with a second <c>syncfs</c>. Two flushes of the file system per round instead
/// of two fsyncs (the file's and its directory's) per file: on this project's ext4 test machine,
/// 0.30 ms of machine CPU per small file alone against 0.08 ms in rounds of 32.
/// After a crash a target holds its old content or the whole new one, as with one fsync per file.
/// Off Linux each file is fsynced and renamed on its own.
/// </summary>
internal sealed class GroupCommit
{
    private readonly string _root;
    private readonly Lock _gate = new();
    private List<Pending> _waiting = [];
    private bool _running;
    private long _rounds;

    /// <param name="root">A directory on the file system of every file published through this instance.</param>
    public GroupCommit(string root)
    {
        _root = root;
    }

    /// <summary>Rounds run so far (each one serves every file waiting when it starts).</summary>
    public long Rounds => Interlocked.Read(ref _rounds);

    /// <summary>
    /// Makes the written and closed <paramref name="tempPath"/> durable and moves it to
    /// <paramref name="finalPath"/>; completes when the move is durable. Fails with an
    /// <see cref="IOException"/> when either step fails (then the temp file may remain).
    /// </summary>
    public Task PublishAsync(string tempPath, string finalPath, bool overwrite)
    {
        if (!OperatingSystem.IsLinux())
        {
            using (var file = new FileStream(tempPath, FileMode.Open, FileAccess.Write, FileShare.None))
            {
                file.Flush(flushToDisk: true);
            }
            DurableFiles.Publish(tempPath, finalPath, overwrite);
            return Task.CompletedTask;
        }
        var pending = new Pending(tempPath, finalPath, overwrite);
        bool start;
        lock (_gate)
        {
            _waiting.Add(pending);
            start = !_running;
            _running = true;
        }
        if (start)
        {
            // The syscalls block; one thread-pool thread runs the rounds while files keep coming.
            _ = Task.Run(RunRounds);
        }
        return pending.Done.Task;
    }

    private void RunRounds()
    {
        while (true)
        {
            List<Pending> round;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _running = false;
                    return;
                }
                round = _waiting;
                _waiting = [];
            }
            Interlocked.Increment(ref _rounds);
            try
            {
                Commit(round);
            }
            catch (Exception e)
            {
                round.ForEach(p => p.Done.TrySetException(e));
            }
        }
    }

    private void Commit(List<Pending> round)
    {
        try
        {
            DurableFiles.SyncFileSystem(_root);
        }
        catch (IOException e)
        {
            round.ForEach(p => p.Done.TrySetException(e));
            return;
        }
        var moved = new List<Pending>(round.Count);
        foreach (var pending in round)
        {
            try
            {
                File.Move(pending.TempPath, pending.FinalPath, pending.Overwrite);
                moved.Add(pending);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                pending.Done.TrySetException(e);
            }
        }
        if (moved.Count == 0)
        {
            return;
        }
        try
        {
            DurableFiles.SyncFileSystem(_root);
            moved.ForEach(p => p.Done.TrySetResult());
        }
        catch (IOException e)
        {
            moved.ForEach(p => p.Done.TrySetException(e));
        }
    }

    private sealed record Pending(string TempPath, string FinalPath, bool Overwrite)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
