namespace Pop3Gateway.Storage.Embedded;

/// <summary>
/// Publishes newly written files durably, in groups. A writer closes its temp file without
/// flushing it and hands it here; every file handed in meanwhile has its contents made durable
/// by one <c>syncfs</c>, is renamed into place, and has the rename made durable by the next
/// <c>syncfs</c>. One flush of the file system per round of files instead of two fsyncs (the
/// file's and its directory's) per file: on this project's ext4 test machine, 0.30 ms of machine
/// CPU per small file alone against 0.08 ms in rounds of 32 (with two flushes per round).
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

    /// <summary>Rounds run so far (each one serves every file waiting when it starts, and those of the round before).</summary>
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

    /// <summary>
    /// Each round renames the files whose contents the previous round made durable, takes the files
    /// handed in since, and runs one <c>syncfs</c>: it makes those renames durable (their writers are
    /// done) and the new files' contents (they are renamed next round). A lone file takes two rounds.
    /// </summary>
    private void RunRounds()
    {
        List<Pending> synced = [];
        while (true)
        {
            List<Pending> fresh;
            lock (_gate)
            {
                if (_waiting.Count == 0 && synced.Count == 0)
                {
                    _running = false;
                    return;
                }
                fresh = _waiting;
                _waiting = [];
            }
            Interlocked.Increment(ref _rounds);
            var moved = new List<Pending>(synced.Count);
            try
            {
                foreach (var pending in synced)
                {
                    if (TryMove(pending))
                    {
                        moved.Add(pending);
                    }
                }
                DurableFiles.SyncFileSystem(_root);
            }
            catch (Exception e)
            {
                // Those not moved yet as well: completing a writer twice keeps its first outcome.
                synced.ForEach(p => p.Done.TrySetException(e));
                fresh.ForEach(p => p.Done.TrySetException(e));
                synced = [];
                continue;
            }
            moved.ForEach(p => p.Done.TrySetResult());
            synced = fresh;
        }
    }

    /// <summary>Moves a file into place; on failure completes its writer with the error.</summary>
    private static bool TryMove(Pending pending)
    {
        try
        {
            File.Move(pending.TempPath, pending.FinalPath, pending.Overwrite);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            pending.Done.TrySetException(e);
            return false;
        }
    }

    private sealed record Pending(string TempPath, string FinalPath, bool Overwrite)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
