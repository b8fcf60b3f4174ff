using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Pop3Gateway.Abstractions.Frontends;

namespace Pop3Gateway.Grains.Frontends;

/// <summary>
/// One front-end's liveness, in memory: when it last beat, and the observer that reaches its sessions.
/// Reentrant, so a slow observer never delays the liveness answers mailbox grains wait for.
/// </summary>
[Reentrant]
public sealed class FrontendGrain(IOptions<SessionLivenessOptions> options, TimeProvider time, ILogger<FrontendGrain> logger)
    : Grain, IFrontendGrain
{
    /// <summary>
    /// How long a mailbox grain waits for a front-end to say whether it holds a session; past it the lease holds.
    /// Short: the mailbox grain waits meanwhile, and a front-end that beats answers in milliseconds.
    /// </summary>
    private static readonly TimeSpan FindSessionTimeout = TimeSpan.FromSeconds(3);

    private readonly SessionLivenessOptions _options = options.Value;
    private DateTimeOffset _activated;
    private DateTimeOffset? _lastBeat;
    private DateTimeOffset? _registered;
    private IFrontendObserver? _observer;

    private string Id => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _activated = time.GetUtcNow();
        return Task.CompletedTask;
    }

    public Task Beat(IFrontendObserver observer)
    {
        var now = time.GetUtcNow();
        _lastBeat = now;
        _observer = observer;
        if (_registered is not { } registered || now - registered >= _options.FrontendLease)
        {
            // Not awaited: a beat is answered from here alone, whatever the directory's silo is doing.
            _registered = now;
            _ = RegisterAsync();
        }
        return Task.CompletedTask;
    }

    public Task<bool> IsAlive() => Task.FromResult(Alive());

    public async Task<SessionPresence> FindSession(Guid sessionId)
    {
        if (!Alive())
        {
            return SessionPresence.FrontendDead;
        }
        if (_observer is not { } observer)
        {
            // Not beaten since this activation: the front-end cannot be asked yet, so its leases hold.
            return SessionPresence.Open;
        }
        try
        {
            return await observer.HoldsSession(sessionId).WaitAsync(FindSessionTimeout) ? SessionPresence.Open : SessionPresence.Gone;
        }
        catch (Exception e)
        {
            FrontendLog.ObserverFailed(logger, Id, "finding a session", e);
            return SessionPresence.Open;
        }
    }

    public async Task<IReadOnlyList<OpenSession>> ListSessions()
    {
        if (!Alive() || _observer is not { } observer)
        {
            return [];
        }
        try
        {
            return await observer.ListSessions();
        }
        catch (Exception e)
        {
            FrontendLog.ObserverFailed(logger, Id, "listing sessions", e);
            return [];
        }
    }

    public async Task<bool> EndSession(Guid sessionId)
    {
        if (_observer is not { } observer)
        {
            return false;
        }
        try
        {
            return await observer.EndSession(sessionId);
        }
        catch (Exception e)
        {
            FrontendLog.ObserverFailed(logger, Id, "ending a session", e);
            return false;
        }
    }

    /// <summary>
    /// Alive until one lease after the last beat; an activation without a beat (the front-end's previous grain
    /// died with its silo) counts from its own start, so a live front-end is never judged on a lost record.
    /// </summary>
    private async Task RegisterAsync()
    {
        try
        {
            await GrainFactory.GetGrain<IFrontendDirectoryGrain>(IFrontendDirectoryGrain.DefaultKey).Register(Id);
        }
        catch (Exception e)
        {
            _registered = null;
            FrontendLog.RegisterFailed(logger, Id, e);
        }
    }

    private bool Alive() => time.GetUtcNow() - (_lastBeat ?? _activated) <= _options.FrontendLease;
}
