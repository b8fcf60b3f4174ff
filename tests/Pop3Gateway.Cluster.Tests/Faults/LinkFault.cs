namespace Pop3Gateway.Cluster.Tests.Faults;

/// <summary>
/// A fault of the links through some <see cref="TcpRelay"/>s for <see cref="Duration"/>: a partition
/// (<see cref="Partition"/>, black-holed both ways) or a slow link (<see cref="Slow"/>, each chunk held back).
/// </summary>
public sealed class LinkFault : IFault
{
    private readonly IReadOnlyList<TcpRelay> _relays;
    private readonly Action<TcpRelay> _begin;
    private readonly Action<TcpRelay> _end;

    private LinkFault(string description, TimeSpan duration, IReadOnlyList<TcpRelay> relays, Action<TcpRelay> begin, Action<TcpRelay> end)
    {
        (Description, Duration, _relays, _begin, _end) = (description, duration, relays, begin, end);
    }

    public string Description { get; }

    public TimeSpan Duration { get; }

    public string Outcome => "";

    public string? Problem => null;

    /// <summary>Nothing passes the relays, open connections included, until the partition heals.</summary>
    public static LinkFault Partition(string description, TimeSpan duration, IReadOnlyList<TcpRelay> relays) =>
        new(description, duration, relays, r => r.Block(), r => r.Heal());

    /// <summary>Every chunk through the relays is held back from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static LinkFault Slow(string description, TimeSpan duration, IReadOnlyList<TcpRelay> relays, TimeSpan min, TimeSpan max) =>
        new(description, duration, relays, r => r.SlowDown(min, max), r => r.SlowDown(TimeSpan.Zero, TimeSpan.Zero));

    public Task BeginAsync()
    {
        foreach (var relay in _relays)
        {
            _begin(relay);
        }
        return Task.CompletedTask;
    }

    public Task InEffectAsync() => Task.CompletedTask;

    public Task EndAsync()
    {
        foreach (var relay in _relays)
        {
            _end(relay);
        }
        return Task.CompletedTask;
    }
}
