namespace Pop3Gateway.Grains.Tests;

/// <summary>Real time plus an offset the test can advance; timers and timestamps stay real.</summary>
public sealed class ShiftingTimeProvider : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
