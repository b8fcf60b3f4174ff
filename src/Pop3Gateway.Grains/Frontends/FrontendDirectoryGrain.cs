using Microsoft.Extensions.Options;
using Pop3Gateway.Abstractions.Frontends;

namespace Pop3Gateway.Grains.Frontends;

/// <summary>The front-ends that registered within the last few front-end leases, in memory.</summary>
public sealed class FrontendDirectoryGrain(IOptions<SessionLivenessOptions> options, TimeProvider time) : Grain, IFrontendDirectoryGrain
{
    /// <summary>Front-end leases after its last registration that a front-end stays listed (it registers once a lease).</summary>
    private const int ListedForLeases = 3;

    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);

    public Task Register(string frontendId)
    {
        _seen[frontendId] = time.GetUtcNow();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> List()
    {
        var cutoff = time.GetUtcNow() - options.Value.FrontendLease * ListedForLeases;
        foreach (var stale in _seen.Where(e => e.Value < cutoff).Select(e => e.Key).ToList())
        {
            _seen.Remove(stale);
        }
        return Task.FromResult<IReadOnlyList<string>>(_seen.Keys.Order(StringComparer.Ordinal).ToList());
    }
}
