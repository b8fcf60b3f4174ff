namespace Pop3Gateway.Cluster.Tests.Faults;

/// <summary>Links that answer slowly for <see cref="Duration"/>: every chunk through the relays, either way, is held back a random time in a range.</summary>
public sealed class SlowLinkFault(string description, IReadOnlyList<TcpRelay> relays, TimeSpan duration, TimeSpan min, TimeSpan max) : IFault
{
    public string Description => description;

    public TimeSpan Duration => duration;

    public bool StopsClocks => false;

    public string Outcome => "";

    public string? Problem => null;

    public Task BeginAsync() => Slow(min, max);

    public Task InEffectAsync() => Task.CompletedTask;

    public Task EndAsync() => Slow(TimeSpan.Zero, TimeSpan.Zero);

    private Task Slow(TimeSpan from, TimeSpan to)
    {
        foreach (var relay in relays)
        {
            relay.SlowDown(from, to);
        }
        return Task.CompletedTask;
    }
}
