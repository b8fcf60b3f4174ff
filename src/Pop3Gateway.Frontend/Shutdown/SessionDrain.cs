using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Pop3Gateway.Frontend.Shutdown;

/// <summary>
/// The drain on SIGTERM, as the connection handlers see it: <see cref="Deadline"/> fires
/// <see cref="ShutdownOptions.DrainTimeout"/> after shutdown began. Until then sessions go on (the listeners
/// have stopped accepting); at the deadline the rest are told so and closed without committing.
/// </summary>
public sealed class SessionDrain : IDisposable
{
    private readonly CancellationTokenSource _deadline;
    private readonly CancellationTokenRegistration _stopping;

    public SessionDrain(IHostApplicationLifetime lifetime, IOptions<ShutdownOptions> options, TimeProvider time)
    {
        _deadline = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        var timeout = options.Value.DrainTimeout;
        _stopping = lifetime.ApplicationStopping.Register(() =>
        {
            Draining = true;
            _deadline.CancelAfter(timeout);
        });
    }

    /// <summary>Shutdown has begun.</summary>
    public bool Draining { get; private set; }

    /// <summary>Cancelled when the sessions still open must end.</summary>
    public CancellationToken Deadline => _deadline.Token;

    public void Dispose()
    {
        _stopping.Dispose();
        _deadline.Dispose();
    }
}
