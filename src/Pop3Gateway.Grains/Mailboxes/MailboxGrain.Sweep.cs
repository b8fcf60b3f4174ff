using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Grains.Mailboxes;

/// <summary>The sweep half of <see cref="MailboxGrain"/>: removes orphan bodies and unnamed segments.</summary>
public sealed partial class MailboxGrain : IMailboxMaintenanceGrain
{
    public async Task<SweepResult> Sweep(TimeSpan grace)
    {
        if (!state.State.Exists)
        {
            return new SweepResult(MailboxStatus.NoSuchMailbox, 0, 0);
        }
        if (LiveSession() is not null)
        {
            // The snapshot of a live session depends on the header; sweep another time.
            return new SweepResult(MailboxStatus.InUse, 0, 0);
        }
        var cutoff = timeProvider.GetUtcNow() - grace;
        try
        {
            // A header write whose outcome was unknown may have landed: decide on what storage holds.
            await state.ReadStateAsync();
            _index.Use(state.State);
            _keys = null;
            var referenced = new HashSet<string>(StringComparer.Ordinal);
            await _index.VisitAsync(MessageCount, (_, entry) => referenced.Add(entry.BodyId), CancellationToken.None);
            var orphans = new List<string>();
            await foreach (var body in bodyStore.ListAsync(Name, CancellationToken.None))
            {
                if (body.Written < cutoff && !referenced.Contains(body.BodyId))
                {
                    orphans.Add(body.BodyId);
                }
            }
            foreach (var bodyId in orphans)
            {
                await bodyStore.DeleteAsync(Name, bodyId, CancellationToken.None);
            }

            var named = await _index.NamedBlobsAsync(CancellationToken.None);
            var unnamed = new List<string>();
            await foreach (var segment in _index.ListStoredBlobsAsync(CancellationToken.None))
            {
                if (segment.Written < cutoff && !named.Contains(segment.Name))
                {
                    unnamed.Add(segment.Name);
                }
            }
            var segments = await _index.DeleteBlobsAsync(unnamed);
            logger.Swept(Name, orphans.Count, segments);
            return new SweepResult(MailboxStatus.Ok, orphans.Count, segments);
        }
        catch (Exception e)
        {
            logger.StorageFailed(e, "sweeping", Name);
            return new SweepResult(MailboxStatus.StorageUnavailable, 0, 0);
        }
    }

    /// <summary>Schedules one sweep per activation, and only when the last one is older than the interval.</summary>
    private void StartSweepTimer()
    {
        var options = ServiceProvider.GetService<IOptions<MailboxSweepOptions>>()?.Value ?? new MailboxSweepOptions();
        if (!state.State.Exists || options.Delay <= TimeSpan.Zero
            || timeProvider.GetUtcNow() - state.State.LastSweep < options.Interval)
        {
            return;
        }
        IGrainTimer? timer = null;
        timer = this.RegisterGrainTimer(async _ =>
        {
            timer?.Dispose();
            var result = await Sweep(options.Grace);
            if (result.Status == MailboxStatus.Ok)
            {
                await TryWrite(IndexChange.HeaderOnly(state.State with { LastSweep = timeProvider.GetUtcNow() }), "recording a sweep of");
            }
        }, new GrainTimerCreationOptions(options.Delay, Timeout.InfiniteTimeSpan) { KeepAlive = false });
    }
}
