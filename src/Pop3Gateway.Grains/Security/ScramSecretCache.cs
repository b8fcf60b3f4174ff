namespace Pop3Gateway.Grains.Security;

/// <summary>
/// The secret of <see cref="IScramSecretGrain"/>, fetched once per silo: it never changes once
/// created, so an unknown login costs no extra grain call after the first. A failed fetch is not
/// kept, the next caller tries again.
/// </summary>
public sealed class ScramSecretCache
{
    private readonly Lock _lock = new();
    private Task<byte[]>? _secret;

    public Task<byte[]> GetAsync(IGrainFactory grains)
    {
        lock (_lock)
        {
            if (_secret is null || _secret.IsFaulted || _secret.IsCanceled)
            {
                _secret = grains.GetGrain<IScramSecretGrain>(IScramSecretGrain.DefaultKey).Get();
            }
            return _secret;
        }
    }
}
